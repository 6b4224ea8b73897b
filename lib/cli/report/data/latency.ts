// Latency as a report shows it: which metric is the headline latency, its
// percentiles per time bucket (for the over-time plot), and the key numbers of
// every latency-like Trend over the measured stages (warm-up excluded).

import { K6_BUILTIN, TREND } from '../../../shared/metrics.ts';
import { mean, percentileSorted } from '../../../shared/stats/summary.ts';
import { firstSampleMs, isMeasured, measuredValues, type SampleTable } from '../../record/samples.ts';

/** genload's end-to-end latency when the scenario recorded it, else k6's http_req_duration. */
export function headlineLatencyMetric(table: SampleTable): string {
  return (table.metrics.get(TREND.e2eMs)?.values.length ?? 0) > 0 ? TREND.e2eMs : K6_BUILTIN.httpReqDuration;
}

export interface Distribution {
  metric: string;
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
}

export function describe(metric: string, values: readonly number[]): Distribution {
  const s = Float64Array.from(values).sort();
  return { metric, count: s.length, mean: mean(s), p50: percentileSorted(s, 50), p90: percentileSorted(s, 90), p95: percentileSorted(s, 95), p99: percentileSorted(s, 99), max: s.length > 0 ? (s[s.length - 1] ?? Number.NaN) : Number.NaN };
}

/** Trend metrics shown in the key-numbers table, in this order, when they have measured samples. */
export const KEY_TRENDS: readonly string[] = [TREND.e2eMs, TREND.ttftMs, TREND.itlMs, TREND.tpotMs, TREND.stepMs, TREND.serverQueueMs, TREND.serverInferenceMs, TREND.outputTokensPerS, K6_BUILTIN.httpReqDuration, TREND.startLagMs];

export function keyDistributions(table: SampleTable): Distribution[] {
  return KEY_TRENDS.map((m) => describe(m, measuredValues(table, m))).filter((d) => d.count > 0);
}

export interface PercentilePoint {
  /** seconds since the first sample of the run */
  tS: number;
  percentile: 'p50' | 'p95' | 'p99';
  valueMs: number;
}

/** P50/P95/P99 of one metric per time bucket (every stage, so warm-up shows too). */
export function percentilesOverTime(table: SampleTable, metric: string, maxBuckets = 60): PercentilePoint[] {
  const col = table.metrics.get(metric);
  const t0 = firstSampleMs(table);
  if (col === undefined || col.values.length === 0 || !Number.isFinite(t0)) return [];
  const lastMs = Math.max(...col.tMs);
  const bucketMs = Math.max(1000, Math.ceil((lastMs - t0) / maxBuckets / 1000) * 1000);
  const buckets = new Map<number, number[]>();
  col.tMs.forEach((t, i) => {
    const b = Math.floor((t - t0) / bucketMs);
    let list = buckets.get(b);
    if (list === undefined) buckets.set(b, (list = []));
    list.push(col.values[i] ?? 0);
  });
  const out: PercentilePoint[] = [];
  for (const [b, values] of [...buckets.entries()].sort((x, y) => x[0] - y[0])) {
    const s = Float64Array.from(values).sort();
    const tS = ((b + 0.5) * bucketMs) / 1000;
    for (const [percentile, p] of [['p50', 50], ['p95', 95], ['p99', 99]] as const) out.push({ tS, percentile, valueMs: percentileSorted(s, p) });
  }
  return out;
}

/** Empirical CDF points of a sample, thinned to at most maxPoints (always keeping min and max). */
export function cdfPoints(values: readonly number[], maxPoints = 200): { value: number; fraction: number }[] {
  const s = Float64Array.from(values).sort();
  const n = s.length;
  if (n === 0) return [];
  const step = Math.max(1, Math.floor(n / maxPoints));
  const out: { value: number; fraction: number }[] = [];
  for (let i = 0; i < n; i += step) out.push({ value: s[i] ?? 0, fraction: (i + 1) / n });
  if (out[out.length - 1]?.fraction !== 1) out.push({ value: s[n - 1] ?? 0, fraction: 1 });
  return out;
}

/** Values of a metric from the measured stages, grouped by a tag (e.g. the stage of a multi-step run). */
export function measuredByTag(table: SampleTable, metric: string, tag: string): Map<string, number[]> {
  const col = table.metrics.get(metric);
  const out = new Map<string, number[]>();
  if (col === undefined) return out;
  col.values.forEach((v, i) => {
    const tags = col.tags[i] ?? {};
    if (!isMeasured(tags)) return;
    const key = tags[tag] ?? '(none)';
    let list = out.get(key);
    if (list === undefined) out.set(key, (list = []));
    list.push(v);
  });
  return out;
}
