// Latency as a report shows it: which metric is the headline latency, its
// percentiles per time bucket (for the over-time plot), and the key numbers of
// every latency-like Trend over the measured stages (warm-up excluded), split by
// traffic class when a run carries more than one (llm and image never pooled).

import { K6_BUILTIN, TREND } from '../../../shared/metrics.ts';
import { mean, percentileSorted } from '../../../shared/stats/summary.ts';
import {
  classSplit,
  firstSampleMs,
  isMeasured,
  measuredValues,
  ofClass,
  type MetricSamples,
  type SampleTable,
} from '../../run-folder/samples.ts';

/** genload's end-to-end latency when the scenario recorded it, else k6's http_req_duration. */
export function headlineLatencyMetric(table: SampleTable): string {
  return (table.metrics.get(TREND.e2eMs)?.values.length ?? 0) > 0 ? TREND.e2eMs : K6_BUILTIN.httpReqDuration;
}

export interface Distribution {
  metric: string;
  /** traffic class of the row when the metric is split by class, null for every sample */
  class: string | null;
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
}

export function describe(metric: string, values: readonly number[], cls: string | null = null): Distribution {
  const s = Float64Array.from(values).sort();
  return {
    metric,
    class: cls,
    count: s.length,
    mean: mean(s),
    p50: percentileSorted(s, 50),
    p90: percentileSorted(s, 90),
    p95: percentileSorted(s, 95),
    p99: percentileSorted(s, 99),
    max: s.length > 0 ? (s[s.length - 1] ?? Number.NaN) : Number.NaN,
  };
}

/** Trend metrics shown in the key-numbers table, in this order, when they have measured samples. */
export const KEY_TRENDS: readonly string[] = [
  TREND.e2eMs,
  TREND.ttftMs,
  TREND.itlMs,
  TREND.tpotMs,
  TREND.stepMs,
  TREND.serverQueueMs,
  TREND.serverInferenceMs,
  TREND.outputTokensPerS,
  K6_BUILTIN.httpReqDuration,
  TREND.startLagMs,
];

/** One row per key metric, or per key metric and class when the run mixes classes. */
export function keyDistributions(table: SampleTable): Distribution[] {
  return KEY_TRENDS.flatMap((m) =>
    classSplit([table], m).map((cls) => describe(m, measuredValues(table, m, ofClass(cls)), cls)),
  ).filter((d) => d.count > 0);
}

export interface PercentilePoint {
  /** seconds since the first sample of the run */
  tS: number;
  percentile: 'p50' | 'p95' | 'p99';
  /** the line this point belongs to: the percentile, prefixed by the class when split ("llm p95") */
  series: string;
  valueMs: number;
}

/** P50/P95/P99 of one metric per time bucket (every stage, so warm-up shows too), one set of lines per class when the run mixes classes. */
export function percentilesOverTime(table: SampleTable, metric: string, maxBuckets = 60): PercentilePoint[] {
  const col = table.metrics.get(metric);
  const t0 = firstSampleMs(table);
  if (col === undefined || col.values.length === 0 || !Number.isFinite(t0)) return [];
  const lastMs = Math.max(...col.tMs);
  const bucketMs = Math.max(1000, Math.ceil((lastMs - t0) / maxBuckets / 1000) * 1000);
  const split = classSplit([table], metric);
  return split.flatMap((cls) => bucketPercentiles(col, t0, bucketMs, cls));
}

function bucketPercentiles(col: MetricSamples, t0: number, bucketMs: number, cls: string | null): PercentilePoint[] {
  const keep = ofClass(cls);
  const buckets = new Map<number, number[]>();
  col.tMs.forEach((t, i) => {
    if (!keep(col.tags[i] ?? {})) return;
    const b = Math.floor((t - t0) / bucketMs);
    let list = buckets.get(b);
    if (list === undefined) buckets.set(b, (list = []));
    list.push(col.values[i] ?? 0);
  });
  const out: PercentilePoint[] = [];
  for (const [b, values] of [...buckets.entries()].sort((x, y) => x[0] - y[0])) {
    const s = Float64Array.from(values).sort();
    const tS = ((b + 0.5) * bucketMs) / 1000;
    for (const [percentile, p] of [
      ['p50', 50],
      ['p95', 95],
      ['p99', 99],
    ] as const)
      out.push({
        tS,
        percentile,
        series: cls === null ? percentile : `${cls} ${percentile}`,
        valueMs: percentileSorted(s, p),
      });
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
