// One metric of two runs compared: mean, P50, P95, P99 of each, the change
// with seeded block-bootstrap intervals, and a verdict. Pure.
//
// Samples of one run are not independent under queueing (a slow request is
// followed by slow ones), so tests that assume independence (Mann-Whitney, the
// plain bootstrap) call noise significant. Each side is taken in time order
// and resampled in blocks (circular moving-block bootstrap, block length from
// the series' autocorrelation: lib/shared/stats/bootstrap.ts).
//
// Verdict rule, per percentile (P50, P95, P99): the change is significant when
// its interval excludes zero and it moved by at least minEffect (relative), so
// a huge sample cannot call a 0.3 % wobble "slower". A tail percentile needs
// enough samples to be more than the maximum: P95 minTailSamples, P99 5 ×
// minTailSamples per side. The metric is "slower" when some percentile got
// worse and none better, "faster" the other way round, "mixed" when both.
// Metrics named *_per_s are better when higher; all others (latencies) lower.

import {
  affordableResamples,
  blockBootstrapShift,
  STATISTIC,
  type ShiftEstimate,
} from '../../shared/stats/bootstrap.ts';

export type MetricVerdict = 'faster' | 'slower' | 'mixed' | 'no significant change' | 'not enough samples';
export type StatVerdict = 'better' | 'worse' | 'no change' | 'too few samples';

export interface CompareOptions {
  seed: number;
  /** confidence of the intervals is 1 - alpha (two-sided) */
  alpha: number;
  /** smallest relative change of a percentile worth a verdict (0.02 = 2 %) */
  minEffect: number;
  /** fewest samples per side for any verdict */
  minSamples: number;
  /** fewest samples per side for a P95 verdict (P99 needs 5 ×) */
  minTailSamples: number;
}

export const DEFAULT_COMPARE: CompareOptions = {
  seed: 1,
  alpha: 0.05,
  minEffect: 0.02,
  minSamples: 5,
  minTailSamples: 20,
};

export const STAT_NAMES = ['mean', 'p50', 'p95', 'p99'] as const;
export type StatName = (typeof STAT_NAMES)[number];
/** the statistics a verdict is taken from */
export const JUDGED_STATS = ['p50', 'p95', 'p99'] as const;

export interface MetricComparison {
  metric: string;
  /** traffic class compared when the runs mix classes (one comparison per class), null for every sample */
  class: string | null;
  higherIsBetter: boolean;
  baseCount: number;
  candCount: number;
  /** per statistic: base, cand, difference and ratio with block-bootstrap intervals; absent when a side has no samples */
  stats: Partial<Record<StatName, ShiftEstimate>>;
  /** per judged percentile: did it get better, worse, or not significantly either */
  statVerdicts: Partial<Record<(typeof JUDGED_STATS)[number], StatVerdict>>;
  /** bootstrap block lengths (samples) of base and cand; 1 means the samples looked independent */
  blocks: { base: number; cand: number } | null;
  verdict: MetricVerdict;
}

export function higherIsBetter(metric: string): boolean {
  return /_per_s(\{|$)/.test(metric);
}

/** base and cand in time order (the block bootstrap keeps neighbours together). */
export function compareMetric(
  metric: string,
  base: readonly number[],
  cand: readonly number[],
  options: Partial<CompareOptions> = {},
  cls: string | null = null,
): MetricComparison {
  const o = { ...DEFAULT_COMPARE, ...options };
  const up = higherIsBetter(metric);
  const out: MetricComparison = {
    metric,
    class: cls,
    higherIsBetter: up,
    baseCount: base.length,
    candCount: cand.length,
    stats: {},
    statVerdicts: {},
    blocks: null,
    verdict: 'not enough samples',
  };
  if (base.length === 0 || cand.length === 0) return out;
  const estimates = blockBootstrapShift(
    base,
    cand,
    [STATISTIC.mean, STATISTIC.percentile(50), STATISTIC.percentile(95), STATISTIC.percentile(99)],
    {
      seed: o.seed,
      confidence: 1 - o.alpha,
      resamples: affordableResamples(base.length + cand.length),
    },
  );
  STAT_NAMES.forEach((name, i) => (out.stats[name] = estimates[i]));
  out.blocks = estimates[0]!.blocks;
  if (base.length < o.minSamples || cand.length < o.minSamples) return out;
  const fewest = Math.min(base.length, cand.length);
  const needs = { p50: o.minSamples, p95: o.minTailSamples, p99: 5 * o.minTailSamples };
  for (const name of JUDGED_STATS) {
    const e = out.stats[name]!;
    if (fewest < needs[name]) out.statVerdicts[name] = 'too few samples';
    else if (!((e.relativeLow > 0 || e.relativeHigh < 0) && Math.abs(e.relative) >= o.minEffect))
      out.statVerdicts[name] = 'no change';
    else out.statVerdicts[name] = e.relative > 0 === up ? 'better' : 'worse';
  }
  const v = Object.values(out.statVerdicts);
  const worse = v.includes('worse');
  const better = v.includes('better');
  out.verdict = worse && better ? 'mixed' : worse ? 'slower' : better ? 'faster' : 'no significant change';
  return out;
}
