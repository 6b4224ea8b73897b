// The run config `genload load` hands k6, built the CLI's way (the run folder,
// then the workload file from buildRunWorkload, then the validated config), so
// a benchmark can run a bundled scenario directly; and the bodies of that
// workload file, for the bare k6 baselines that must post the same requests.

import { mkdirSync, readFileSync } from 'node:fs';
import { buildRunWorkload } from '../../lib/cli/workload/from-plan.ts';
import {
  RUN_CONFIG_SCHEMA_VERSION,
  runConfigSchema,
  type LoadConfig,
  type RunConfig,
  type TargetApi,
} from '../../lib/shared/run-config.ts';
import { parseWorkload } from '../../lib/shared/workload/schema.ts';

export interface GenloadRun {
  scenario: string;
  url: string;
  api: TargetApi;
  runDir: string;
  load: Partial<LoadConfig>;
  /** workload knobs (promptSet, maxTokens, stream, itlSamples, ...) as the CLI's --workload takes them */
  workload: Record<string, string | number | boolean>;
  /** an SLO profile already parsed (lib/shared/slo), and its file; default: none (the scenario's default thresholds) */
  slo?: { path: string; value: unknown };
}

export const DEFAULT_LOAD: LoadConfig = {
  rateRps: 2,
  maxRateRps: 4,
  durationSeconds: 8,
  warmupSeconds: 0,
  vus: 2,
  maxVus: 16,
  arrival: 'constant',
  seed: 1,
};

/** Builds <runDir>/workload.jsonl and returns the run config that points k6 at it. */
export async function genloadConfig(r: GenloadRun): Promise<RunConfig> {
  mkdirSync(r.runDir, { recursive: true });
  const load: LoadConfig = { ...DEFAULT_LOAD, ...r.load };
  const built = await buildRunWorkload({
    runDir: r.runDir,
    scenario: r.scenario,
    api: r.api,
    model: undefined,
    load,
    workload: parseWorkload(r.workload),
    knobs: {},
  });
  return runConfigSchema.parse({
    schemaVersion: RUN_CONFIG_SCHEMA_VERSION,
    scenario: r.scenario,
    runId: r.scenario,
    runDir: r.runDir,
    target: { url: r.url, api: r.api, managed: false, readyPath: '/' },
    load,
    sloPath: r.slo?.path ?? null,
    slo: r.slo?.value ?? null,
    workload: r.workload,
    workloadFile: built.ref,
  });
}

/** The exact HTTP bodies of a workload.jsonl (lines after the header), in line order, at most `max`. */
export function workloadBodies(path: string, max = Number.POSITIVE_INFINITY): string[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  const bodies: string[] = [];
  for (let k = 1; k < lines.length && bodies.length < max; k++) {
    const line = lines[k];
    if (line === undefined || line === '') continue;
    const body = (JSON.parse(line) as { body?: unknown }).body;
    if (typeof body !== 'string') throw new Error(`${path}: line ${k + 1} has no string body`);
    bodies.push(body);
  }
  if (bodies.length === 0) throw new Error(`${path}: no request lines`);
  return bodies;
}
