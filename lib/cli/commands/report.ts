// `genload report [--run <run dir>] [--baseline <run dir>]` (make report RUN=...):
// (re)renders report.html, report.md and junit.xml of one run folder (default:
// the latest run under --results) and rebuilds the results index.

import { join, resolve } from 'node:path';
import { repoRoot } from '../paths.ts';
import { ExitCode } from '../../shared/exit-codes.ts';
import { resultsDirProblem, runDirProblem } from '../config/folders.ts';
import { ConfigError } from '../errors.ts';
import { loadRunRecord } from '../run-folder-read/run-record.ts';
import { renderRunReports } from '../report/render-run.ts';
import { latestRun } from '../results-index/index.ts';

/** Where a command prints and what time it is; tests pass their own. */
export interface CommandIo {
  out?: (text: string) => void;
  now?: Date;
}

export const REPORT_FLAGS = ['run', 'baseline'] as const;

/** RESULTS (default results/ of the checkout); a folder genload cannot own is a ConfigError (config/folders.ts) */
export function resultsDirOf(flags: Record<string, string | undefined>): string {
  const dir = resolve(repoRoot, flags['results'] ?? 'results');
  const problem = resultsDirProblem(dir, join(repoRoot, 'results'));
  if (problem !== undefined) throw new ConfigError([problem]);
  return dir;
}

/** A run folder named by a flag (one genload wrote), or the latest run; every problem is a ConfigError. */
export function runDirFlag(flags: Record<string, string | undefined>, name: string, fallbackLatest: boolean): string {
  const given = flags[name];
  if (given !== undefined && given !== '') {
    const dir = resolve(process.cwd(), given);
    const problem = runDirProblem(name.toUpperCase(), dir);
    if (problem !== undefined) throw new ConfigError([problem]);
    return dir;
  }
  const latest = fallbackLatest ? latestRun(resultsDirOf(flags)) : undefined;
  if (latest === undefined) throw new ConfigError([`${name}: must name a run folder${fallbackLatest ? `, and ${resultsDirOf(flags)} holds no run to default to` : ''}`]);
  return latest;
}

export async function runReport(flags: Record<string, string | undefined>, io: CommandIo = {}): Promise<number> {
  const out = io.out ?? ((text: string) => void process.stdout.write(text));
  const runDir = runDirFlag(flags, 'run', true);
  const baseline = flags['baseline'] !== undefined ? await loadRunRecord(runDirFlag(flags, 'baseline', false)) : undefined;
  const { files, model } = await renderRunReports(runDir, baseline !== undefined ? { baseline } : {});
  out(`${files.join('\n')}\n`);
  if (model.missing.length > 0) out(`plots not drawn:\n${model.missing.map((m) => `  - ${m}`).join('\n')}\n`);
  return ExitCode.Passed;
}
