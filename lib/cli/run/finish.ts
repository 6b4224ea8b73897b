// The end of a load run: how it ended (lib/cli/run/outcome.ts, from k6's exit
// code, summary.json and k6's log), recorded as run.json, then the reports
// rendered from the run folder. A report that cannot be drawn never changes
// the verdict.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { K6ExitCode } from '../../shared/exit-codes.ts';
import { generatorVerdict } from '../../shared/generator/judge.ts';
import type { Summary } from '../../shared/summary.ts';
import { renderRunReports } from '../report/render-run.ts';
import { configProblemsIn, outcomeOf, type Outcome } from './outcome.ts';
import { RecordError, RUN_RESULT_SCHEMA_VERSION, writeRunResult } from '../run-folder/records.ts';
import { readRunSummary, type RunSummary } from '../run-folder/summary-record.ts';
import { RUN_FILE } from '../run-folder/names.ts';

export interface RunRecordInput {
  runDir: string;
  runId: string;
  scenario: string;
  startedAt: Date;
  k6ExitCode: number;
  interrupted: boolean;
  /** where a summary.json that does not read is reported */
  log?: (line: string) => void;
}

/** The outcome, written to run.json. */
export function recordOutcome(r: RunRecordInput): Outcome {
  const summary = readSummaryOrNone(r.runDir, r.log ?? (() => {}));
  const configProblems = r.k6ExitCode === K6ExitCode.ScriptException ? configProblemsIn(readK6Logs(r.runDir)) : [];
  const outcome = outcomeOf({
    k6ExitCode: r.k6ExitCode,
    interrupted: r.interrupted,
    validity: summary?.validity,
    ...(summary?.generator === undefined || summary.stages === undefined || summary.slo === undefined
      ? {}
      : { generator: generatorVerdict(summary as Pick<Summary, 'stages' | 'slo' | 'generator'>) }),
    configProblems,
  });
  writeRunResult(r.runDir, {
    schemaVersion: RUN_RESULT_SCHEMA_VERSION,
    runId: r.runId,
    scenario: r.scenario,
    startedAt: r.startedAt.toISOString(),
    endedAt: new Date().toISOString(),
    k6ExitCode: r.k6ExitCode,
    exitCode: outcome.exitCode,
    verdict: outcome.verdict,
    message: outcome.message,
    interrupted: r.interrupted,
  });
  return outcome;
}

/** report.html, report.md and junit.xml; a failure is logged, the data files are all there. */
export async function renderReports(runDir: string, log: (line: string) => void): Promise<void> {
  try {
    await renderRunReports(runDir);
  } catch (err) {
    log(`rendering the reports failed; reason: ${(err as Error).message}`);
  }
}

/**
 * summary.json through its schema. k6 writes it itself, not atomically: a k6
 * killed while writing leaves a file that does not read. The outcome is then
 * judged as without a summary (k6's exit code says why), and the problem is logged.
 */
function readSummaryOrNone(runDir: string, log: (line: string) => void): RunSummary | undefined {
  try {
    return readRunSummary(runDir);
  } catch (err) {
    if (!(err instanceof RecordError)) throw err;
    log(`the run's summary cannot be read; reason: ${err.message}`);
    return undefined;
  }
}

/** k6's log of a run: k6.log, or each instance's segments/<i>/k6.log; '' when there is none. */
function readK6Logs(runDir: string): string {
  const paths = [join(runDir, RUN_FILE.k6Log)];
  const segments = join(runDir, 'segments');
  if (existsSync(segments)) for (const d of readdirSync(segments)) paths.push(join(segments, d, RUN_FILE.k6Log));
  return paths
    .filter((p) => existsSync(p))
    .map((p) => readFileSync(p, 'utf8'))
    .join('\n');
}
