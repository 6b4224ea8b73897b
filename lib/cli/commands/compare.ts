// `genload compare --base <run dir> --cand <run dir>` (make compare BASE= CAND=):
// per-metric statistics of both runs with block-bootstrap intervals and a
// verdict, plus availability and quality drift; written to results/<ts>-compare/
// as compare.json, compare.md and compare.html.

import { join } from 'node:path';
import { ExitCode } from '../../shared/exit-codes.ts';
import { ConfigError } from '../errors.ts';
import { compareRuns } from '../compare/compare-runs.ts';
import { compareFigures, renderCompareHtml, renderCompareMarkdown } from '../compare/render.ts';
import { renderSvg } from '../report/charts/render.ts';
import { updateResultsIndex } from '../results-index/index.ts';
import { createRunFolder, writeFileAtomic, writeJsonAtomic } from '../run-folder/write.ts';
import type { CommandIo } from '../command-io.ts';
import { resultsDirOf, runDirFlag } from './folder-flags.ts';

export const COMPARE_FLAGS = ['base', 'cand', 'alpha'] as const;

function alphaOf(flags: Record<string, string | undefined>): number {
  const raw = flags['alpha'];
  if (raw === undefined) return 0.05;
  const a = Number(raw);
  if (!(a > 0 && a < 0.5)) throw new ConfigError([`alpha: must be a number between 0 and 0.5, but is '${raw}'`]);
  return a;
}

export async function runCompare(flags: Record<string, string | undefined>, io: CommandIo = {}): Promise<number> {
  const now = io.now ?? new Date();
  const out = io.out ?? ((text: string) => void process.stdout.write(text));
  const problems: string[] = [];
  if (flags['base'] === undefined) problems.push('base: must name the baseline run folder (BASE=results/<run>)');
  if (flags['cand'] === undefined) problems.push('cand: must name the candidate run folder (CAND=results/<run>)');
  if (problems.length > 0) throw new ConfigError(problems);
  const baseDir = runDirFlag(flags, 'base', false);
  const candDir = runDirFlag(flags, 'cand', false);
  const seed = flags['seed'] !== undefined ? Number(flags['seed']) : 1;
  const { comparison, base, cand } = await compareRuns(
    baseDir,
    candDir,
    { alpha: alphaOf(flags), seed: Number.isInteger(seed) ? seed : 1 },
    now,
  );
  const resultsDir = resultsDirOf(flags);
  const folder = createRunFolder(resultsDir, 'compare', undefined, now);
  const svgs = new Map<string, string>();
  for (const f of compareFigures(comparison, base, cand)) svgs.set(f.id, await renderSvg(f.spec));
  writeJsonAtomic(join(folder.runDir, 'compare.json'), comparison);
  const md = renderCompareMarkdown(comparison);
  writeFileAtomic(join(folder.runDir, 'compare.md'), md);
  writeFileAtomic(join(folder.runDir, 'compare.html'), renderCompareHtml(comparison, svgs));
  updateResultsIndex(resultsDir, now);
  out(`${md}\nwritten to ${folder.runDir}\n`);
  return ExitCode.Passed;
}
