// Exact aggregates of raw k6 samples, computed the way k6's own metric sinks
// compute them, so a threshold judged here on the union of every instance's
// samples gives the verdict one big k6 would have given. Pure.
//   trend:   avg, min, max, med, p(N)  (percentile: linear interpolation between ranks)
//   counter: count (sum of values), rate (count per second of test duration)
//   rate:    rate (share of non-zero samples)
//   gauge:   value (last sample)

import type { TrendStats } from '../../shared/summary.ts';
import { percentileSorted } from '../../shared/stats/summary.ts';
import type { K6MetricType, SampleTable } from '../run-folder/samples.ts';

/** A sub-metric selector: k6's `name{tag:value,...}` (every listed tag must match). */
export interface Selector {
  metric: string;
  tags: Readonly<Record<string, string>>;
}

/** `genload_e2e_ms{class:llm,stage:measure}` -> { metric, tags }. */
export function parseSelector(key: string): Selector {
  const m = /^([^{}]+)(?:\{([^{}]*)\})?$/.exec(key.trim());
  if (m === null) throw new Error(`threshold metric: must look like name or name{tag:value,...}, but is '${key}'`);
  const tags: Record<string, string> = {};
  for (const part of (m[2] ?? '').split(',')) {
    if (part.trim() === '') continue;
    const i = part.indexOf(':');
    if (i <= 0) throw new Error(`threshold metric ${key}: each tag must be key:value, but one is '${part}'`);
    tags[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return { metric: (m[1] ?? '').trim(), tags };
}

export interface SelectedSamples {
  type: K6MetricType | 'unknown';
  values: number[];
}

/** Values of the samples a selector matches, in file order. */
export function select(table: SampleTable, selector: Selector): SelectedSamples {
  const col = table.metrics.get(selector.metric);
  if (col === undefined) return { type: 'unknown', values: [] };
  const wanted = Object.entries(selector.tags);
  const values: number[] = [];
  for (let i = 0; i < col.values.length; i++) {
    const tags = col.tags[i] ?? {};
    if (wanted.every(([k, v]) => tags[k] === v)) values.push(col.values[i] ?? 0);
  }
  return { type: col.type, values };
}

export const sum = (values: readonly number[]): number => values.reduce((a, v) => a + v, 0);

/** Share of non-zero samples (a k6 Rate); 0 for no samples, as k6 reports it. */
export function rateOf(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.filter((v) => v !== 0).length / values.length;
}

/** Every Trend aggregate genload reports, from raw values; undefined when there are none. */
export function trendStats(values: readonly number[]): TrendStats | undefined {
  if (values.length === 0) return undefined;
  const sorted = Float64Array.from(values).sort();
  const p = (q: number) => percentileSorted(sorted, q);
  return {
    count: sorted.length,
    avg: sum(values) / sorted.length,
    min: sorted[0] ?? 0,
    p50: p(50),
    p90: p(90),
    p95: p(95),
    p99: p(99),
    max: sorted[sorted.length - 1] ?? 0,
  };
}

/**
 * One k6 aggregation (`p(95)`, `avg`, `count`, `rate`, ...) of a metric's samples.
 * testDurationS is needed only for a Counter's `rate`.
 */
export function aggregate(samples: SelectedSamples, aggregation: string, testDurationS: number): number {
  const v = samples.values;
  const pm = /^p\(\s*(\d+(?:\.\d+)?)\s*\)$/.exec(aggregation);
  if (pm !== null) {
    if (v.length === 0) return 0;
    return percentileSorted(Float64Array.from(v).sort(), Number(pm[1]));
  }
  switch (aggregation) {
    case 'count':
      return samples.type === 'counter' ? sum(v) : v.length;
    case 'rate':
      if (samples.type === 'counter') return testDurationS > 0 ? sum(v) / testDurationS : 0;
      return rateOf(v);
    case 'avg':
      return v.length === 0 ? 0 : sum(v) / v.length;
    case 'min':
      return v.length === 0 ? 0 : v.reduce((a, x) => (x < a ? x : a), Number.POSITIVE_INFINITY);
    case 'max':
      return v.length === 0 ? 0 : v.reduce((a, x) => (x > a ? x : a), Number.NEGATIVE_INFINITY);
    case 'med':
      return v.length === 0 ? 0 : percentileSorted(Float64Array.from(v).sort(), 50);
    case 'value':
      return v.length === 0 ? 0 : (v[v.length - 1] ?? 0);
    default:
      throw new Error(
        `threshold aggregation: must be one of count, rate, avg, min, max, med, value or p(N), but is '${aggregation}'`,
      );
  }
}
