// Runs one test as N local k6 processes on execution segments, then merges them
// exactly. Layout inside the run folder:
//   segments/<i>/   summary.json, summary.txt, samples.json.gz, dashboard.html, k6.log of instance i
//   samples.json.gz the union of every instance's samples (gzip members concatenated)
//   summary.json    the merged summary: counts summed, percentiles and SLO verdicts from the union
//   segments.json   which segment each instance ran and how it exited

import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_CONFIG_ENV } from '../../shared/run-config.ts';
import type { Summary } from '../../shared/summary.ts';
import { readSamples } from '../run-folder/samples.ts';
import { startK6 } from '../k6/k6-process.ts';
import { writeFileAtomic, writeJsonAtomic } from '../run-folder/write.ts';
import { mergedK6ExitCode } from './exit-code.ts';
import { mergeSummaries } from './merge-summary.ts';
import { executionSegments, segmentArgs, type Segment } from './segments.ts';
import { RUN_FILE } from '../run-folder/names.ts';
import { RecordError } from '../run-folder/records.ts';
import { readSummary, writeSummary } from '../run-folder/summary-record.ts';

export interface SegmentRunOptions {
  k6Path: string;
  /** k6 arguments before the script, as for a single run but without `--out json=...` (added per instance) */
  args: readonly string[];
  script: string;
  /** environment of a single run; GENLOAD_CONFIG and K6_WEB_DASHBOARD_EXPORT are rewritten per instance */
  env: Readonly<Record<string, string>>;
  instances: number;
  runDir: string;
  /** echo instance 0's output to the terminal (the others go to their k6.log only) */
  echo?: boolean;
}

export interface SegmentResult {
  /** the exit code one k6 would have given: another k6 failure first, else 99 when the merged SLO failed, else 0 */
  k6ExitCode: number;
  instanceExitCodes: number[];
  /** the merged summary; undefined when an instance wrote none */
  summary: Summary | undefined;
}

export interface SegmentRun {
  /** stop every instance gracefully (each still writes its summary) */
  interrupt(): void;
  readonly done: Promise<SegmentResult>;
}

export const segmentDir = (runDir: string, index: number): string => join(runDir, 'segments', String(index));

function instanceEnv(env: Readonly<Record<string, string>>, dir: string): Record<string, string> {
  const out = { ...env };
  const raw = env[RUN_CONFIG_ENV];
  if (raw === undefined)
    throw new Error(`distributed run: env ${RUN_CONFIG_ENV} is required (handleSummary writes into its runDir)`);
  out[RUN_CONFIG_ENV] = JSON.stringify({ ...(JSON.parse(raw) as object), runDir: dir });
  if (out['K6_WEB_DASHBOARD_EXPORT'] !== undefined) out['K6_WEB_DASHBOARD_EXPORT'] = join(dir, RUN_FILE.dashboard);
  return out;
}

/** An instance's summary.json; undefined when it wrote none or left it unreadable (killed while k6 wrote it): no merged summary then. */
function readInstanceSummary(path: string): Summary | undefined {
  try {
    return readSummary(path);
  } catch (err) {
    if (err instanceof RecordError) return undefined;
    throw err;
  }
}

export function startSegments(opts: SegmentRunOptions): SegmentRun {
  const segments = executionSegments(opts.instances);
  // N processes cannot share k6's REST API port: switch it off unless the caller chose an address
  const baseArgs = opts.args.includes('--address') ? [...opts.args] : [...opts.args, '--address', ''];
  const handles = segments.map((s: Segment) => {
    const dir = segmentDir(opts.runDir, s.index);
    mkdirSync(dir, { recursive: true });
    return startK6({
      k6Path: opts.k6Path,
      args: [...baseArgs, ...segmentArgs(s), '--out', `json=${join(dir, RUN_FILE.samples)}`, opts.script],
      env: instanceEnv(opts.env, dir),
      cwd: dir,
      logPath: join(dir, RUN_FILE.k6Log),
      echo: opts.echo === true && s.index === 0,
    });
  });
  const done = (async (): Promise<SegmentResult> => {
    const instanceExitCodes = await Promise.all(handles.map((h) => h.exited));
    const dirs = segments.map((s) => segmentDir(opts.runDir, s.index));
    const samplePaths = dirs.map((d) => join(d, RUN_FILE.samples)).filter((p) => existsSync(p));
    // gzip allows concatenated members: the union file reads as one stream
    writeFileAtomic(join(opts.runDir, RUN_FILE.samples), Buffer.concat(samplePaths.map((p) => readFileSync(p))));
    const summaries = dirs.map((d) => readInstanceSummary(join(d, RUN_FILE.summary)));
    let summary: Summary | undefined;
    if (summaries.every((s): s is Summary => s !== undefined)) {
      const table = await readSamples(join(opts.runDir, RUN_FILE.samples));
      summary = mergeSummaries(summaries, table);
      writeSummary(join(opts.runDir, RUN_FILE.summary), summary);
    }
    writeJsonAtomic(join(opts.runDir, RUN_FILE.segments), {
      schemaVersion: 1,
      instances: segments.map((s, i) => ({
        index: s.index,
        segment: s.segment,
        sequence: s.sequence,
        dir: `segments/${s.index}`,
        k6ExitCode: instanceExitCodes[i],
        wroteSummary: summaries[i] !== undefined,
      })),
    });
    return { k6ExitCode: mergedK6ExitCode(instanceExitCodes, summary), instanceExitCodes, summary };
  })();
  return { interrupt: () => handles.forEach((h) => h.interrupt()), done };
}

/** startSegments and wait for the merged result. */
export function runSegments(opts: SegmentRunOptions): Promise<SegmentResult> {
  return startSegments(opts).done;
}
