// The hook `genload load` calls after k6 exits and before a managed server is
// stopped: scenarios that need more than k6 can record get it here. Today:
// compare-plan saves its outputs (capture.ts). Never changes the run's verdict.

import type { RunConfig } from '../../shared/run-config.ts';
import { captureOutputs } from './capture.ts';

export interface PostRunInput {
  runDir: string;
  targetUrl: string;
  config: RunConfig;
  headers: Readonly<Record<string, string>>;
  interrupted: boolean;
  log: (line: string) => void;
}

/** Scenarios whose outputs are saved for compare's quality drift. */
export const CAPTURING_SCENARIOS: readonly string[] = ['compare-plan'];

export async function afterK6Run(input: PostRunInput): Promise<void> {
  if (input.interrupted || !CAPTURING_SCENARIOS.includes(input.config.scenario)) return;
  try {
    const r = await captureOutputs({
      runDir: input.runDir,
      targetUrl: input.targetUrl,
      config: input.config,
      headers: input.headers,
    });
    input.log(
      `saved ${r.saved} of ${r.entries.length} outputs to outputs/ for compare's quality drift${r.failed > 0 ? ` (${r.failed} failed: ${r.entries.find((e) => e.error)?.error ?? ''})` : ''}`,
    );
  } catch (err) {
    input.log(`saving the outputs failed; reason: ${(err as Error).message}`);
  }
}
