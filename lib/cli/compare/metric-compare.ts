// One metric of two runs compared: mean, P50, P95, P99 of each, the change with
// seeded bootstrap intervals, a Mann-Whitney rank test, and a verdict. Pure.
//
// Verdict rule: a change is significant when the rank test's p-value is below
// alpha AND the bootstrap interval of the P50 change excludes zero AND the P50
// moved by at least minEffect (relative) — so a huge sample cannot call a 0.3 %
// wobble "slower". Metrics named *_per_s are better when higher; all others
// (latencies) are better when lower.

import { affordableResamples, bootstrapShift, STATISTIC, type ShiftEstimate } from '../../shared/stats/bootstrap.ts';
import { mannWhitney } from '../../shared/stats/rank-test.ts';

export type MetricVerdict = 'faster' | 'slower' | 'no significant change' | 'not enough samples';

export interface CompareOptions {
  seed: number;
  /** two-sided significance level of the rank test and confidence of the intervals is 1 - alpha */
  alpha: number;
  /** smallest relative P50 change worth a verdict (0.02 = 2 %) */
  minEffect: number;
  /** fewest samples per side for a verdict */
  minSamples: number;
}

export const DEFAULT_COMPARE: CompareOptions = { seed: 1, alpha: 0.05, minEffect: 0.02, minSamples: 5 };

export const STAT_NAMES = ['mean', 'p50', 'p95', 'p99'] as const;
export type StatName = (typeof STAT_NAMES)[number];

export interface MetricComparison {
  metric: string;
  /** traffic class compared when the runs mix classes (one comparison per class), null for every sample */
  class: string | null;
  higherIsBetter: boolean;
  baseCount: number;
  candCount: number;
  /** per statistic: base, cand, difference and ratio with intervals; absent when a side has no samples */
  stats: Partial<Record<StatName, ShiftEstimate>>;
  /** two-sided Mann-Whitney p-value; null when a side has no samples */
  pValue: number | null;
  verdict: MetricVerdict;
}

export function higherIsBetter(metric: string): boolean {
  return /_per_s(\{|$)/.test(metric);
}

export function compareMetric(metric: string, base: readonly number[], cand: readonly number[], options: Partial<CompareOptions> = {}, cls: string | null = null): MetricComparison {
  const o = { ...DEFAULT_COMPARE, ...options };
  const up = higherIsBetter(metric);
  const out: MetricComparison = { metric, class: cls, higherIsBetter: up, baseCount: base.length, candCount: cand.length, stats: {}, pValue: null, verdict: 'not enough samples' };
  if (base.length === 0 || cand.length === 0) return out;
  const estimates = bootstrapShift(base, cand, [STATISTIC.mean, STATISTIC.percentile(50), STATISTIC.percentile(95), STATISTIC.percentile(99)], {
    seed: o.seed,
    confidence: 1 - o.alpha,
    resamples: affordableResamples(base.length + cand.length),
  });
  STAT_NAMES.forEach((name, i) => (out.stats[name] = estimates[i]));
  out.pValue = mannWhitney(base, cand).pValue;
  if (base.length < o.minSamples || cand.length < o.minSamples) return out;
  const p50 = out.stats.p50!;
  const significant = out.pValue < o.alpha && (p50.diffLow > 0 || p50.diffHigh < 0) && Math.abs(p50.relative) >= o.minEffect;
  if (!significant) out.verdict = 'no significant change';
  else out.verdict = p50.diff > 0 === up ? 'faster' : 'slower';
  return out;
}
