// The SLO table: one row per k6 threshold in summary.json, with the observed
// value the threshold was judged on. Feeds the HTML and Markdown tables and
// junit.xml (one test case per row).

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
}

/** `p(95)<2000` -> `p(95)`; `rate<=0.01` -> `rate`. */
export function aggregateOf(expression: string): string {
  return expression.split(/[<>=!]/)[0]?.trim() ?? expression;
}

export function sloRows(summary: RunSummary | undefined): SloRow[] {
  const rows: SloRow[] = [];
  for (const [metric, m] of Object.entries(summary?.metrics ?? {})) {
    for (const [threshold, t] of Object.entries(m.thresholds ?? {})) {
      const aggregate = aggregateOf(threshold);
      const alias = aggregate === 'p(50)' ? 'med' : aggregate === 'med' ? 'p(50)' : aggregate;
      const observed = m.values[aggregate] ?? m.values[alias] ?? null;
      rows.push({ metric, threshold, ok: t.ok, observed: typeof observed === 'number' ? observed : null, aggregate });
    }
  }
  return rows.sort((a, b) => Number(a.ok) - Number(b.ok) || a.metric.localeCompare(b.metric));
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
