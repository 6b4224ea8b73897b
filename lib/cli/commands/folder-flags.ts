// The folder flags of report, compare and gate: RUN, BASE, CAND and BASELINE
// name run folders genload wrote (default: the latest run), RESULTS the folder
// that receives new ones. Every refusal is a ConfigError (rules in folders.ts).

import { join, resolve } from 'node:path';
import { ConfigError } from '../errors.ts';
import { repoRoot } from '../paths.ts';
import { latestRun } from '../results-index/index.ts';
import { resultsDirProblem, runDirProblem } from '../config/folders.ts';

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
  if (latest === undefined)
    throw new ConfigError([
      `${name}: must name a run folder${fallbackLatest ? `, and ${resultsDirOf(flags)} holds no run to default to` : ''}`,
    ]);
  return latest;
}
