// One SLO condition as data: which stage and class it judges, the metric, the
// statistic, the operator, the bound and its unit. The k6 threshold string is
// derived from the record (thresholdExpression), never the other way round, so
// the summary, the report, the distributed merge and the gate read the record
// and parse no strings. Pure: no zod, no k6.

import type { TrafficClass } from '../metrics.ts';
import { BOUND_AGGREGATION, BOUNDED_METRICS, type BoundedMetric } from './bounds.ts';
import type { ClassSlo, LatencyBounds } from './schema.ts';

/** What a verdict judges: a latency metric, the error rate, goodput, the request count or a latency metric's sample count. */
export type VerdictMetric = BoundedMetric | 'errorRate' | 'goodput' | 'requests' | 'samples';
/** p50..max for latency bounds (as the SLO file names them), rate for ratios, count for guards */
export type VerdictStatistic = keyof LatencyBounds | 'rate' | 'count';
export type VerdictOperator = '<' | '<=' | '>=';
export type VerdictUnit = 'ms' | 'ratio' | 'count';

export interface VerdictRecord {
  stage: string;
  class: TrafficClass;
  metric: VerdictMetric;
  statistic: VerdictStatistic;
  op: VerdictOperator;
  bound: number;
  unit: VerdictUnit;
  /** metric 'samples': the latency metric whose samples are counted */
  sampled?: BoundedMetric;
}

/** k6's aggregation for a record's statistic: p(95), rate, count... */
export function aggregationOf(r: Pick<VerdictRecord, 'statistic'>): string {
  return r.statistic === 'rate' || r.statistic === 'count' ? r.statistic : BOUND_AGGREGATION[r.statistic];
}

/** The k6 threshold expression of a record: p(95)<500, rate<=0.01, count>=10. */
export function thresholdExpression(r: VerdictRecord): string {
  return `${aggregationOf(r)}${r.op}${r.bound}`;
}

/** Whether an observed value meets the record's bound. */
export function meets(r: Pick<VerdictRecord, 'op' | 'bound'>, value: number): boolean {
  return r.op === '<' ? value < r.bound : r.op === '<=' ? value <= r.bound : value >= r.bound;
}

const STATISTICS = Object.keys(BOUND_AGGREGATION) as Array<keyof LatencyBounds>;

/**
 * Every condition one class's rules set for one stage, in the order the
 * summary lists them: the request count, then per bounded metric its bounds
 * and its sample count, then the error rate and goodput.
 */
export function classRecords(rules: ClassSlo, stage: string, cls: TrafficClass): VerdictRecord[] {
  const out: VerdictRecord[] = [];
  const base = { stage, class: cls };
  out.push({ ...base, metric: 'requests', statistic: 'count', op: '>=', bound: rules.minRequests ?? 1, unit: 'count' });
  for (const metric of BOUNDED_METRICS) {
    const bounds = rules[metric];
    if (bounds === undefined) continue;
    for (const statistic of STATISTICS) {
      const bound = bounds[statistic];
      if (bound !== undefined) out.push({ ...base, metric, statistic, op: '<', bound, unit: 'ms' });
    }
    out.push({ ...base, metric: 'samples', statistic: 'count', op: '>=', bound: 1, unit: 'count', sampled: metric });
  }
  if (rules.errorRate !== undefined)
    out.push({ ...base, metric: 'errorRate', statistic: 'rate', op: '<=', bound: rules.errorRate, unit: 'ratio' });
  if (rules.minGoodput !== undefined)
    out.push({ ...base, metric: 'goodput', statistic: 'rate', op: '>=', bound: rules.minGoodput, unit: 'ratio' });
  return out;
}

/** The record's meaning as the summary has always written it, e.g. "ttftMs p95 < 500 ms". */
export function recordMeaning(r: VerdictRecord): string {
  switch (r.metric) {
    case 'requests':
      return `requests >= ${r.bound}`;
    case 'samples':
      return `${r.sampled ?? 'latency'} has samples`;
    case 'errorRate':
      return `error rate <= ${r.bound}`;
    case 'goodput':
      return `goodput >= ${r.bound}`;
    default:
      return `${r.metric} ${r.statistic} < ${r.bound} ms`;
  }
}
