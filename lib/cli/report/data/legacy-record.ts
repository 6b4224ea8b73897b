// Summaries written before verdicts carried a record (summary.json of older
// runs, still rendered by `genload report`): their condition is read back once,
// here, from the sub-metric name and the k6 expression. Everything else reads
// records. Pure.

import { COUNTER, RATE, TAG, TREND } from '../../../shared/metrics.ts';
import { BOUND_AGGREGATION, BOUNDED_METRICS, type BoundedMetric } from '../../../shared/slo/bounds.ts';
import type { VerdictRecord, VerdictStatistic } from '../../../shared/slo/record.ts';
import type { SloVerdict } from '../../../shared/summary.ts';

const TREND_METRIC = new Map<string, BoundedMetric>(BOUNDED_METRICS.map((m) => [TREND[m], m]));
const STATISTIC = new Map<string, VerdictStatistic>([
  ...Object.entries(BOUND_AGGREGATION).map(([k, agg]) => [agg, k as VerdictStatistic] as const),
  ['med', 'p50'],
  ['rate', 'rate'],
  ['count', 'count'],
]);

/** An older verdict's condition as a record, or null when its strings are not a condition genload compiles. */
export function legacyRecord(v: Pick<SloVerdict, 'stage' | 'class' | 'metric' | 'expression'>): VerdictRecord | null {
  const m = /^\s*([a-z]+(?:\(\d+(?:\.\d+)?\))?)\s*(<=|>=|<)\s*(-?[\d.]+(?:e-?\d+)?)\s*$/.exec(v.expression);
  const statistic = STATISTIC.get(m?.[1] ?? '');
  if (m === null || statistic === undefined) return null;
  const brace = v.metric.indexOf('{');
  const base = brace < 0 ? v.metric : v.metric.slice(0, brace);
  const sampledName = new RegExp(`${TAG.metricName}:([^,}]+)`).exec(v.metric)?.[1];
  const common = { stage: v.stage, class: v.class, statistic, op: m[2] as VerdictRecord['op'], bound: Number(m[3]) };
  const latency = TREND_METRIC.get(base);
  if (latency !== undefined) return { ...common, metric: latency, unit: 'ms' };
  if (base === COUNTER.requests) return { ...common, metric: 'requests', unit: 'count' };
  if (base === RATE.errorRate) return { ...common, metric: 'errorRate', unit: 'ratio' };
  if (base === RATE.goodputRatio) return { ...common, metric: 'goodput', unit: 'ratio' };
  const sampled = TREND_METRIC.get(sampledName ?? '');
  if (base === COUNTER.samples && sampled !== undefined)
    return { ...common, metric: 'samples', unit: 'count', sampled };
  return null;
}
