// Saves a compare-plan run's outputs into its run folder, while the target is
// still up: each of the plan's requests (its block of workload.jsonl, the very
// bodies k6 sent) is sent once more, not streamed, and its answer written as
// outputs/<prompt-index>.png (decoded b64_json) or .txt; outputs.json lists
// prompt, seed and file of each.
// k6 cannot write files during iterations, hence this Node-side step. The
// outputs feed compare's quality drift (lib/cli/compare/quality.ts).

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RunConfig } from '../../shared/run-config.ts';
import { writeFileAtomic, writeJsonAtomic } from '../run-folder/write.ts';
import { planRequests, outputOf } from './request.ts';
import { RUN_FILE } from '../run-folder/names.ts';

export interface CaptureOptions {
  runDir: string;
  /** base URL of the live target, without a trailing slash (config.json holds a redacted copy) */
  targetUrl: string;
  config: Pick<RunConfig, 'target' | 'load' | 'workload' | 'workloadFile'>;
  /** Authorization when an API key is set */
  headers?: Readonly<Record<string, string>>;
  /** per request; default the workload's timeoutSeconds */
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

export interface CaptureEntry {
  promptIndex: number;
  class: 'llm' | 'image';
  seed: number;
  prompt: string;
  file: string | null;
  error?: string;
  /** request sent to answer parsed, ms (informational: the k6 run has the measured latencies) */
  durationMs: number;
}

export interface CaptureResult {
  saved: number;
  failed: number;
  entries: CaptureEntry[];
}

export async function captureOutputs(opts: CaptureOptions): Promise<CaptureResult> {
  const { api, model } = opts.config.target;
  const planned = planRequests(opts.config.workloadFile.path, api);
  const dir = join(opts.runDir, 'outputs');
  mkdirSync(dir, { recursive: true });
  const doFetch = opts.fetchImpl ?? fetch;
  const timeoutMs = opts.timeoutMs ?? Number(opts.config.workload['timeoutSeconds'] ?? 120) * 1000;
  const entries: CaptureEntry[] = [];
  for (const req of planned) {
    const { promptIndex } = req;
    const started = performance.now();
    const entry: CaptureEntry = {
      promptIndex,
      class: req.class,
      seed: req.seed,
      prompt: req.prompt,
      file: null,
      durationMs: 0,
    };
    try {
      const res = await doFetch(`${opts.targetUrl}${req.path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...opts.headers },
        body: req.body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`status ${res.status}: ${text.slice(0, 200)}`);
      const out = outputOf(req.class, JSON.parse(text) as unknown);
      if (typeof out === 'string') throw new Error(out);
      entry.file = `${promptIndex}.${out.ext}`;
      writeFileAtomic(join(dir, entry.file), out.content);
    } catch (err) {
      entry.error = (err as Error).message;
    }
    entry.durationMs = performance.now() - started;
    entries.push(entry);
  }
  writeJsonAtomic(join(opts.runDir, RUN_FILE.outputs), {
    schemaVersion: 1,
    api,
    model: model ?? null,
    seed: opts.config.load.seed,
    entries,
  });
  const saved = entries.filter((e) => e.file !== null).length;
  return { saved, failed: entries.length - saved, entries };
}
