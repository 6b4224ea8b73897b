// One run folder read back as data: the JSON files k6 and the CLI wrote, the
// monitors' time series, the capacity curve when a search ran, and the raw
// samples. Every part but the folder itself is optional, because a crashed or
// interrupted run leaves some out; readers say "not recorded" instead of failing.
// A file that is there is read through its schema (records.ts): one that breaks
// it stops the reader with the file, the field and the rule named.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseCapacity, type Capacity } from './capacity.ts';
import { readCapacity } from './capacity-record.ts';
import { readConfig, type ConfigRecord } from './config-record.ts';
import { readMonitors, type Monitors } from './monitors.ts';
import { RUN_FILE } from './names.ts';
import { ConfigError } from '../errors.ts';
import { readRunResult, RecordError, type RunResult } from './records.ts';
import { readRunSummary, type RunSummary } from './summary-record.ts';
import { readSamples, type SampleTable } from './samples.ts';

export type { RunSummary, SummaryMetric } from './summary-record.ts';
export type { RunResult } from './records.ts';

export interface RunRecord {
  runDir: string;
  runId: string;
  config: ConfigRecord | undefined;
  environment: Record<string, unknown> | undefined;
  summary: RunSummary | undefined;
  result: RunResult | undefined;
  monitors: Monitors | undefined;
  capacity: Capacity | undefined;
  samples: SampleTable;
  /** output files of a run that saved them (outputs/<prompt-index>.png|txt) */
  outputsDir: string | undefined;
}

/** A JSON file without a schema of its own (environment.json, compare.json, gate.json), cast by the caller; undefined when missing or broken. */
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
  const outputsDir = join(runDir, 'outputs');
  let records: Pick<RunRecord, 'config' | 'summary' | 'result' | 'monitors' | 'capacity'>;
  try {
    records = {
      config: readConfig(runDir),
      summary: readRunSummary(runDir),
      result: readRunResult(runDir),
      monitors: readMonitors(runDir),
      capacity: parseCapacity(readCapacity(runDir)),
    };
  } catch (err) {
    // the folder is the command's input (RUN, BASE, CAND, BASELINE): a record in it that does not read is an input problem
    if (err instanceof RecordError) throw new ConfigError(err.message.split('\n').map((line) => `${runDir}/${line}`));
    throw err;
  }
  return {
    runDir,
    runId: basename(runDir),
    environment: readJsonFile(join(runDir, RUN_FILE.environment)),
    ...records,
    samples:
      opts.samples === false ? { metrics: new Map(), badLines: 0 } : await readSamples(join(runDir, RUN_FILE.samples)),
    outputsDir: existsSync(outputsDir) ? outputsDir : undefined,
  };
}
