// The SLO table: one row per k6 threshold in summary.json, with the observed
// value the threshold was judged on. Feeds the HTML and Markdown tables and
// junit.xml (one test case per row).

import { COUNTER, RATE } from '../../../shared/metrics.ts';
import type { RunSummary } from '../../record/run-record.ts';

export interface SloRow {
  /** k6 metric or sub-metric name, e.g. genload_e2e_ms{class:llm,stage:measure} */
  metric: string;
  /** the threshold expression, e.g. p(95)<2000 */
  threshold: string;
  ok: boolean;
  /** the aggregate the expression names (p(95), rate, count...), when the summary has it */
  observed: number | null;
  aggregate: string;
  /** the SLO in words, e.g. "ttftMs p95 < 500 ms" */
  meaning?: string;
  /** the run ended before the threshold's stage started: neither held nor breached */
  notReached?: boolean;
}

/** failed first, then not reached, then held */
const rank = (r: SloRow): number => (r.ok ? 2 : r.notReached === true ? 1 : 0);

/** `p(95)<2000` -> `p(95)`; `rate<=0.01` -> `rate`. */
export function aggregateOf(expression: string): string {
  return expression.split(/[<>=!]/)[0]?.trim() ?? expression;
}

const STAT_KEY: Record<string, string> = { 'p(50)': 'p50', med: 'p50', 'p(90)': 'p90', 'p(95)': 'p95', 'p(99)': 'p99', avg: 'avg', min: 'min', max: 'max' };

/** The value a verdict was judged on, from the summary's per-stage, per-class aggregates. */
export function observedOf(summary: RunSummary, stage: string, cls: string, metric: string, aggregate: string): number | null {
  const stats = summary.stages?.find((s) => s.stage === stage)?.classes[cls as 'llm' | 'image'];
  if (stats === undefined) return null;
  const base = metric.split('{')[0] ?? metric;
  const statKey = STAT_KEY[aggregate];
  if (statKey !== undefined) return (stats.latency[base] as unknown as Record<string, number> | undefined)?.[statKey] ?? null;
  if (base === RATE.errorRate && aggregate === 'rate') return stats.errorRate;
  if (base === RATE.goodputRatio && aggregate === 'rate') return stats.goodputRatio;
  if (base === COUNTER.requests && aggregate === 'count') return stats.requests;
  return null;
}

export function sloRows(summary: RunSummary | undefined): SloRow[] {
  const rows: SloRow[] = [];
  for (const v of summary?.slo?.verdicts ?? []) {
    const aggregate = aggregateOf(v.expression);
    const row: SloRow = { metric: v.metric, threshold: v.expression, ok: v.ok, observed: observedOf(summary!, v.stage, v.class, v.metric, aggregate), aggregate, meaning: v.meaning };
    if (v.notReached === true) row.notReached = true;
    rows.push(row);
  }
  // older summaries: k6's raw metrics with their thresholds
  for (const [metric, m] of Object.entries(summary?.metrics ?? {})) {
    for (const [threshold, t] of Object.entries(m.thresholds ?? {})) {
      const aggregate = aggregateOf(threshold);
      const alias = aggregate === 'p(50)' ? 'med' : aggregate === 'med' ? 'p(50)' : aggregate;
      const observed = m.values[aggregate] ?? m.values[alias] ?? null;
      rows.push({ metric, threshold, ok: t.ok, observed: typeof observed === 'number' ? observed : null, aggregate });
    }
  }
  return rows.sort((a, b) => rank(a) - rank(b) || a.metric.localeCompare(b.metric));
}

/** A number as a report shows it: 3 significant digits, thousands kept whole. */
export function formatNumber(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return 'n/a';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '-∞';
  const abs = Math.abs(v);
  if (abs >= 1000) return v.toFixed(0);
  if (abs >= 100) return v.toFixed(1);
  if (abs >= 1) return v.toFixed(2);
  if (abs === 0) return '0';
  return v.toPrecision(3);
}
