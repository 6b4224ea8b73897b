// One run folder read back as data: the JSON files k6 and the CLI wrote, the
// monitors' time series, the capacity curve when a search ran, and the raw
// samples. Every part but the folder itself is optional, because a crashed or
// interrupted run leaves some out; readers say "not recorded" instead of failing.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Capacity } from './capacity.ts';
import { parseCapacity } from './capacity.ts';
import type { Monitors } from './monitors.ts';
import type { Summary } from '../../shared/summary.ts';
import { RUN_FILE } from './names.ts';
import { readRunResult, type RunResult } from './records.ts';
import { readSamples, type SampleTable } from './samples.ts';

/** One entry of a k6 summary metric (k6's handleSummary data). */
export interface SummaryMetric {
  type: string;
  contains?: string;
  values: Record<string, number>;
  thresholds?: Record<string, { ok: boolean }>;
}

/** summary.json (lib/shared/summary.ts); `metrics` is the older raw k6 form, still read when present. */
export type RunSummary = Partial<Omit<Summary, 'slo' | 'validity'>> & {
  validity?: { valid: boolean; reasons: string[] };
  slo?: Partial<Summary['slo']> & { passed: boolean };
  metrics?: Record<string, SummaryMetric>;
};

export type { RunResult } from './records.ts';

export interface RunRecord {
  runDir: string;
  runId: string;
  config: Record<string, unknown> | undefined;
  environment: Record<string, unknown> | undefined;
  summary: RunSummary | undefined;
  result: RunResult | undefined;
  monitors: Monitors | undefined;
  capacity: Capacity | undefined;
  samples: SampleTable;
  /** output files of a run that saved them (outputs/<prompt-index>.png|txt) */
  outputsDir: string | undefined;
}

export function readJsonFile<T>(path: string): T | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export function isRunFolder(dir: string): boolean {
  return (
    existsSync(join(dir, RUN_FILE.run)) ||
    existsSync(join(dir, RUN_FILE.summary)) ||
    existsSync(join(dir, RUN_FILE.samples))
  );
}

export async function loadRunRecord(dir: string, opts: { samples?: boolean } = {}): Promise<RunRecord> {
  const runDir = resolve(dir);
  if (!existsSync(runDir) || !statSync(runDir).isDirectory())
    throw new Error(`run folder: must be an existing directory, but ${runDir} is not`);
  if (!isRunFolder(runDir))
    throw new Error(`run folder: must hold run.json, summary.json or samples.json.gz, but ${runDir} has none`);
  const summary = readJsonFile<RunSummary>(join(runDir, RUN_FILE.summary));
  const outputsDir = join(runDir, 'outputs');
  return {
    runDir,
    runId: basename(runDir),
    config: readJsonFile(join(runDir, RUN_FILE.config)),
    environment: readJsonFile(join(runDir, RUN_FILE.environment)),
    summary: typeof summary === 'object' && summary !== null ? summary : undefined,
    result: readRunResult(runDir),
    monitors: readJsonFile(join(runDir, RUN_FILE.monitors)),
    capacity: parseCapacity(readJsonFile(join(runDir, RUN_FILE.capacity))),
    samples:
      opts.samples === false ? { metrics: new Map(), badLines: 0 } : await readSamples(join(runDir, RUN_FILE.samples)),
    outputsDir: existsSync(outputsDir) ? outputsDir : undefined,
  };
}
