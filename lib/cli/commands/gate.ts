// `genload gate --baseline <run dir | baseline file> [--cand <run dir>]`
// (make gate BASELINE=...): exits ExitCode.Regression (7) when P95 latency, the
// error rate or the sustainable rate regressed beyond tolerance with statistical
// support; 0 otherwise. The candidate defaults to the latest run. Writes
// results/<ts>-gate/gate.json and gate.md; --save-baseline <file> also stores the
// candidate as a baseline file for later gates.

import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ExitCode } from '../../shared/exit-codes.ts';
import { ConfigError } from '../errors.ts';
import { baselineOf, readBaselineFile, type GateBaseline } from '../gate/baseline.ts';
import { decideGate, renderGateMarkdown, type GateTolerances } from '../gate/decide.ts';
import { loadRunRecord } from '../run-folder/run-record.ts';
import { updateResultsIndex } from '../results-index/index.ts';
import { createRunFolder, writeFileAtomic, writeJsonAtomic } from '../run-folder/write.ts';
import type { CommandIo } from '../command-io.ts';
import { resultsDirOf, runDirFlag } from './folder-flags.ts';

export const GATE_FLAGS = [
  'baseline',
  'cand',
  'save-baseline',
  'p95-tolerance',
  'error-tolerance',
  'rate-tolerance',
] as const;

function tolerances(flags: Record<string, string | undefined>): Partial<GateTolerances> {
  const problems: string[] = [];
  const out: Partial<GateTolerances> = {};
  for (const [flag, key] of [
    ['p95-tolerance', 'p95Tolerance'],
    ['error-tolerance', 'errorRateTolerance'],
    ['rate-tolerance', 'sustainableTolerance'],
  ] as const) {
    const raw = flags[flag];
    if (raw === undefined) continue;
    const v = Number(raw);
    if (!(v >= 0 && v < 1)) problems.push(`${flag}: must be a fraction in [0, 1), e.g. 0.1 for 10 %, but is '${raw}'`);
    else out[key] = v;
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return out;
}

async function baselineFrom(path: string): Promise<GateBaseline> {
  const abs = resolve(process.cwd(), path);
  if (!existsSync(abs))
    throw new ConfigError([`baseline: must be a run folder or a baseline file, but ${abs} does not exist`]);
  if (statSync(abs).isDirectory()) return baselineOf(await loadRunRecord(abs));
  try {
    return readBaselineFile(abs);
  } catch (err) {
    throw new ConfigError([(err as Error).message]);
  }
}

function renderNothingToCompare(runId: string, saved: boolean): string {
  return `## genload gate: ➖ nothing to compare with\n\nThe baseline \`${runId}\` is the candidate itself (a fresh baseline): no verdict was reached, nothing was gated.${saved ? ' The candidate was saved as the baseline for the next gate.' : ''}\n`;
}

export async function runGate(flags: Record<string, string | undefined>, io: CommandIo = {}): Promise<number> {
  const now = io.now ?? new Date();
  const out = io.out ?? ((text: string) => void process.stdout.write(text));
  if (flags['baseline'] === undefined)
    throw new ConfigError(['baseline: must name a run folder or baseline file (BASELINE=...)']);
  const t = tolerances(flags);
  const base = await baselineFrom(flags['baseline']);
  const candDir = runDirFlag(flags, 'cand', true);
  const cand = baselineOf(await loadRunRecord(candDir), base.latencyMetric);
  // a fresh baseline (the first CI run) is the candidate itself: there is nothing to compare, and passing against itself would say nothing
  const fresh = base.runId === cand.runId;
  const decision = fresh ? { passed: true, checks: [] } : decideGate(base, cand, t);
  const exitCode = decision.passed ? ExitCode.Passed : ExitCode.Regression;
  const resultsDir = resultsDirOf(flags);
  const folder = createRunFolder(resultsDir, 'gate', undefined, now);
  const md = fresh
    ? renderNothingToCompare(cand.runId, flags['save-baseline'] !== undefined)
    : renderGateMarkdown(decision, base.runId, cand.runId);
  writeJsonAtomic(join(folder.runDir, 'gate.json'), {
    schemaVersion: 1,
    createdAt: now.toISOString(),
    baseline: base.runId,
    candidate: cand.runId,
    candidateDir: candDir,
    compared: !fresh,
    passed: decision.passed,
    exitCode,
    checks: decision.checks,
  });
  writeFileAtomic(join(folder.runDir, 'gate.md'), md);
  if (flags['save-baseline'] !== undefined) writeJsonAtomic(resolve(process.cwd(), flags['save-baseline']), cand);
  updateResultsIndex(resultsDir, now);
  out(`${md}\nwritten to ${folder.runDir}\n`);
  return exitCode;
}
