// After k6 ends: the load generator's figures per stage (k6's CPU from
// generator.json, the host's and the local target's from monitors.json, the
// probe's lag and the server's own time from summary.json), the run judged
// again with them (lib/shared/generator/judge.ts), summary.json rewritten and
// summary.txt given its verdict and generator lines. k6 wrote both files
// without knowing its own CPU; everything here reads the run folder.

import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GeneratorSeries } from '../monitor/generator.ts';
import type { Monitors } from '../run-folder/monitors.ts';
import { RUN_FILE } from '../run-folder/names.ts';
import { readSummary, writeSummary } from '../run-folder/summary-record.ts';
import { stageFigures, type IntervalPoint } from '../../shared/generator/figures.ts';
import { judgeWithGenerator } from '../../shared/generator/judge.ts';
import { generatorLines } from '../../shared/generator/text.ts';
import type { Summary } from '../../shared/summary.ts';

/** Points with their interval: the gap to the previous point, the first one `firstMs`. */
function withIntervals<T extends { tMs: number }>(
  points: readonly T[],
  value: (p: T) => number,
  firstMs: number,
): IntervalPoint[] {
  return points.map((p, i) => ({
    tMs: p.tMs,
    intervalMs: i === 0 ? firstMs : p.tMs - points[i - 1]!.tMs,
    value: value(p),
  }));
}

/** The verdict word summary.txt opens with (render-text.ts's rule). */
function verdictWord(s: Summary): string {
  return !s.validity.valid ? 'INVALID' : s.slo.passed ? 'PASS' : 'FAIL';
}

/**
 * summary.txt with the new verdict on its first line, its validity block
 * replaced by the new one, and the generator lines after it.
 */
export function patchSummaryText(text: string, s: Summary): string {
  const lines = text.replace(/\n$/, '').split('\n');
  if (lines[0] !== undefined) lines[0] = lines[0].replace(/ (PASS|FAIL|INVALID)$/, ` ${verdictWord(s)}`);
  const block = [
    `validity: ${s.validity.valid ? 'valid' : 'INVALID'}`,
    ...s.validity.reasons.map((r) => `  - ${r}`),
    ...s.validity.targetLimits.map((l) => `  target limit: ${l.message}`),
    ...s.validity.notes.map((n) => `  note: ${n}`),
    ...(s.validity.generatorLagP95Ms === undefined
      ? []
      : [`  load generator: probe lag p95 ${s.validity.generatorLagP95Ms.toFixed(1)} ms`]),
    ...generatorLines(s),
  ];
  const at = lines.findIndex((l) => /^validity: /.test(l));
  if (at < 0) return `${[...lines, '', ...block].join('\n')}\n`;
  let end = at + 1;
  while (end < lines.length && lines[end]!.startsWith('  ')) end++;
  lines.splice(at, end - at, ...block);
  return `${lines.join('\n')}\n`;
}

/**
 * Judges the run in runDir again with the generator's figures. Returns the
 * new summary, or undefined when k6 wrote none (nothing to judge).
 */
export function checkGenerator(
  runDir: string,
  series: GeneratorSeries,
  monitors: Monitors | undefined,
): Summary | undefined {
  const path = join(runDir, RUN_FILE.summary);
  const summary = readSummary(path);
  if (summary === undefined) return undefined;
  // k6 writes summary.json when the test has ended: its start is that moment less the test's duration
  // (INSTANCES > 1: an instance's own file; the merged one is written later, after the samples are read)
  const own = [join(runDir, 'segments', '0', RUN_FILE.summary), path].find((p) => existsSync(p)) ?? path;
  const testStartMs = statSync(own).mtimeMs - summary.durationMs;
  const hostMs = monitors?.intervalMs ?? 1000;
  const figures = stageFigures(summary.stages, {
    testStartMs,
    k6: series.points.map((p) => ({ tMs: p.tMs, intervalMs: p.intervalMs, value: p.cpuCores })),
    k6Wait: series.points.flatMap((p) =>
      p.waitCores === undefined ? [] : [{ tMs: p.tMs, intervalMs: p.intervalMs, value: p.waitCores }],
    ),
    allowed: series.points.map((p) => ({ tMs: p.tMs, intervalMs: p.intervalMs, value: p.allowedCores })),
    host: withIntervals(monitors?.host ?? [], (p) => p.cpuPercent / 100, hostMs),
    target: withIntervals(monitors?.process ?? [], (p) => p.cpuPercent / 100, hostMs),
  });
  const judged = judgeWithGenerator(summary, figures, {
    ...(series.allowance === undefined ? {} : { limitedBy: series.allowance.limitedBy }),
    notes: series.notes,
  });
  writeSummary(path, judged);
  const textPath = join(runDir, RUN_FILE.summaryText);
  try {
    writeFileSync(textPath, patchSummaryText(readFileSync(textPath, 'utf8'), judged));
  } catch {
    // no summary.txt (k6 failed before handleSummary): summary.json carries the figures
  }
  return judged;
}
