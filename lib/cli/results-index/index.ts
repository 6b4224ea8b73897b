// results/index.json and results/index.md: every run folder (and comparison)
// under a results directory, latest first, with its verdict and headline
// numbers. Rebuilt from the folders each time, so it never drifts from them.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { K6_BUILTIN, RATE, TREND } from '../../shared/metrics.ts';
import { parseCapacity } from '../run-folder/capacity.ts';
import { readCapacity } from '../run-folder/capacity-record.ts';
import { readRunResult, RecordError } from '../run-folder/records.ts';
import { readJsonFile } from '../run-folder/run-record.ts';
import { readRunSummary, type RunSummary } from '../run-folder/summary-record.ts';
import { formatNumber } from '../../shared/format.ts';
import { writeFileAtomic, writeJsonAtomic } from '../run-folder/write.ts';

export const INDEX_SCHEMA_VERSION = 1;

/** The index lists every folder: a record that does not read leaves its figures out of the row (the folder's own report names the problem). */
function readOrNone<T>(read: () => T | undefined): T | undefined {
  try {
    return read();
  } catch (err) {
    if (err instanceof RecordError) return undefined;
    throw err;
  }
}

export interface IndexEntry {
  /** folder name under the results directory */
  id: string;
  kind: 'run' | 'compare' | 'gate';
  scenario: string | null;
  startedAt: string | null;
  verdict: string | null;
  exitCode: number | null;
  p95Ms: number | null;
  errorRate: number | null;
  sustainableRps: number | null;
  /** report path relative to the results directory, when rendered */
  report: string | null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** P95 of the headline latency: the measured-stage sub-metric when the summary has one, else the whole metric. */
export function summaryP95(summary: RunSummary | undefined): number | null {
  const judged = (summary?.stages ?? []).filter((s) => s.judged);
  const fromStages = judged
    .flatMap((s) => Object.values(s.classes).map((c) => c?.latency[TREND.e2eMs]?.p95))
    .filter((v): v is number => typeof v === 'number');
  if (fromStages.length > 0) return Math.max(...fromStages);
  const m = summary?.metrics ?? {};
  for (const metric of [TREND.e2eMs, K6_BUILTIN.httpReqDuration]) {
    const measured = Object.keys(m).find((k) => k.startsWith(`${metric}{`) && k.includes('stage:measure'));
    const v = num(measured !== undefined ? m[measured]?.values['p(95)'] : undefined) ?? num(m[metric]?.values['p(95)']);
    if (v !== null) return v;
  }
  return null;
}

/** Failed / requests over the judged stages, else the raw k6 rate metrics. */
export function summaryErrorRate(summary: RunSummary | undefined): number | null {
  const classes = (summary?.stages ?? []).filter((s) => s.judged).flatMap((s) => Object.values(s.classes));
  const requests = classes.reduce((a, c) => a + (c?.requests ?? 0), 0);
  if (requests > 0) return classes.reduce((a, c) => a + (c?.requests ?? 0) * (c?.errorRate ?? 0), 0) / requests;
  return (
    num(summary?.metrics?.[RATE.errorRate]?.values['rate']) ??
    num(summary?.metrics?.['http_req_failed']?.values['rate'])
  );
}

export function entryOf(resultsDir: string, id: string): IndexEntry | null {
  const dir = join(resultsDir, id);
  const firstReport = (names: string[]): string | null =>
    names.map((n) => join(id, n)).find((p) => existsSync(join(resultsDir, p))) ?? null;
  if (existsSync(join(dir, 'compare.json'))) {
    const c = readJsonFile<{ createdAt?: string; summary?: string }>(join(dir, 'compare.json'));
    return {
      id,
      kind: 'compare',
      scenario: null,
      startedAt: c?.createdAt ?? null,
      verdict: c?.summary ?? null,
      exitCode: null,
      p95Ms: null,
      errorRate: null,
      sustainableRps: null,
      report: firstReport(['compare.html', 'compare.md']),
    };
  }
  if (existsSync(join(dir, 'gate.json'))) {
    const g = readJsonFile<{ createdAt?: string; passed?: boolean; exitCode?: number }>(join(dir, 'gate.json'));
    return {
      id,
      kind: 'gate',
      scenario: null,
      startedAt: g?.createdAt ?? null,
      verdict: g?.passed === undefined ? null : g.passed ? 'passed' : 'regression',
      exitCode: num(g?.exitCode),
      p95Ms: null,
      errorRate: null,
      sustainableRps: null,
      report: firstReport(['gate.md']),
    };
  }
  const result = readOrNone(() => readRunResult(dir));
  const summary = readOrNone(() => readRunSummary(dir));
  if (result === undefined && summary === undefined) return null;
  const errorRate = summaryErrorRate(summary);
  return {
    id,
    kind: 'run',
    scenario: result?.scenario ?? summary?.scenario ?? null,
    startedAt: result?.startedAt ?? null,
    verdict: result?.verdict ?? null,
    exitCode: num(result?.exitCode),
    p95Ms: summaryP95(summary),
    errorRate,
    sustainableRps: parseCapacity(readOrNone(() => readCapacity(dir)))?.sustainableRps ?? null,
    report: firstReport(['report.html', 'report.md']),
  };
}

/** Every indexable folder, latest first (folder names start with a UTC timestamp). */
export function listEntries(resultsDir: string): IndexEntry[] {
  if (!existsSync(resultsDir)) return [];
  return readdirSync(resultsDir)
    .filter((name) => !name.startsWith('.') && statSync(join(resultsDir, name)).isDirectory())
    .map((name) => entryOf(resultsDir, name))
    .filter((e): e is IndexEntry => e !== null)
    .sort((a, b) => (b.startedAt ?? b.id).localeCompare(a.startedAt ?? a.id) || b.id.localeCompare(a.id));
}

/** The newest run folder (kind 'run'), for commands whose default is "the latest run". */
export function latestRun(resultsDir: string): string | undefined {
  const e = listEntries(resultsDir).find((x) => x.kind === 'run');
  return e === undefined ? undefined : join(resultsDir, e.id);
}

export function renderIndexMarkdown(entries: readonly IndexEntry[]): string {
  const lines = [
    '# genload results',
    '',
    'Latest first. Rebuilt after every run, comparison and gate.',
    '',
    '| folder | kind | scenario | verdict | P95 (ms) | error rate | sustainable (rps) | report |',
    '| --- | --- | --- | --- | ---: | ---: | ---: | --- |',
  ];
  for (const e of entries) {
    const report = e.report === null ? '' : `[${e.report.split('/').pop()}](${e.report})`;
    lines.push(
      `| ${e.id} | ${e.kind} | ${e.scenario ?? ''} | ${e.verdict ?? ''} | ${e.p95Ms === null ? '' : formatNumber(e.p95Ms)} | ${e.errorRate === null ? '' : `${(e.errorRate * 100).toFixed(2)} %`} | ${e.sustainableRps === null ? '' : formatNumber(e.sustainableRps)} | ${report} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export function updateResultsIndex(resultsDir: string, now: Date = new Date()): IndexEntry[] {
  const entries = listEntries(resultsDir);
  writeJsonAtomic(join(resultsDir, 'index.json'), {
    schemaVersion: INDEX_SCHEMA_VERSION,
    updatedAt: now.toISOString(),
    entries,
  });
  writeFileAtomic(join(resultsDir, 'index.md'), renderIndexMarkdown(entries));
  return entries;
}
