// Percentile-bootstrap confidence intervals for how a statistic (mean, a
// percentile) changed between two samples, with a seeded generator so the same
// inputs always give the same interval. Pure: no I/O.
//
// One resample of each side is sorted once and every statistic is read from it,
// so asking for mean, P50, P95 and P99 together costs one bootstrap, not four.
//
// Latency samples of one run are not independent: under queueing a slow
// request is followed by slow ones. Resampling single values then understates
// the spread and calls noise significant. `blockBootstrapShift` resamples
// time-ordered samples in blocks (circular moving-block bootstrap, Künsch 1989),
// so the dependence inside a block is kept; the block length comes from the
// series' own autocorrelation (blockLengthOf).

import { seededUniform, type Uniform } from './random.ts';
import { mean, percentileSorted } from './summary.ts';

/** A statistic of an ascending-sorted sample. */
export type Statistic = (sorted: Float64Array) => number;

export const STATISTIC = {
  mean: (sorted: Float64Array): number => mean(sorted),
  percentile:
    (p: number): Statistic =>
    (sorted) =>
      percentileSorted(sorted, p),
} as const;

export interface BootstrapOptions {
  /** seeds the resampling; same seed and inputs give the same interval */
  seed: number;
  /** number of bootstrap resamples (1000 is the usual choice) */
  resamples: number;
  /** two-sided confidence level, e.g. 0.95 */
  confidence: number;
}

export const DEFAULT_BOOTSTRAP: BootstrapOptions = { seed: 1, resamples: 1000, confidence: 0.95 };

export interface ShiftEstimate {
  base: number;
  cand: number;
  /** cand - base, in the statistic's unit */
  diff: number;
  diffLow: number;
  diffHigh: number;
  /** cand / base - 1 (0.2 = 20 % higher); NaN when base is 0 */
  relative: number;
  relativeLow: number;
  relativeHigh: number;
}

function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

function resample(source: ArrayLike<number>, target: Float64Array, u: Uniform): Float64Array {
  const n = source.length;
  for (let i = 0; i < n; i++) target[i] = source[Math.floor(u() * n)] ?? 0;
  return target.sort();
}

/** One resample of one side into target, sorted. */
type Draw = (source: ArrayLike<number>, target: Float64Array, u: Uniform) => Float64Array;

/** The percentile bootstrap both variants share: resample each side with its draw, read every statistic once per resample. */
function shift(
  base: ArrayLike<number>,
  cand: ArrayLike<number>,
  statistics: readonly Statistic[],
  opts: Partial<BootstrapOptions>,
  drawBase: Draw,
  drawCand: Draw,
): ShiftEstimate[] {
  if (base.length === 0 || cand.length === 0)
    throw new Error(`bootstrap: both samples must be non-empty, but have ${base.length} and ${cand.length} values`);
  const { seed, resamples, confidence } = { ...DEFAULT_BOOTSTRAP, ...opts };
  const u = seededUniform(seed);
  const bufB = new Float64Array(base.length);
  const bufC = new Float64Array(cand.length);
  const diffs = statistics.map(() => new Float64Array(resamples));
  const ratios = statistics.map(() => new Float64Array(resamples));
  for (let r = 0; r < resamples; r++) {
    const rb = drawBase(base, bufB, u);
    const rc = drawCand(cand, bufC, u);
    statistics.forEach((stat, i) => {
      const sb = stat(rb);
      const sc = stat(rc);
      diffs[i]![r] = sc - sb;
      ratios[i]![r] = sb === 0 ? Number.NaN : sc / sb - 1;
    });
  }
  const b = sortedCopy(base);
  const c = sortedCopy(cand);
  const lowP = ((1 - confidence) / 2) * 100;
  const highP = 100 - lowP;
  return statistics.map((stat, i) => {
    const sb = stat(b);
    const sc = stat(c);
    const d = diffs[i]!.sort();
    const q = ratios[i]!.filter((x) => Number.isFinite(x)).sort();
    return {
      base: sb,
      cand: sc,
      diff: sc - sb,
      diffLow: percentileSorted(d, lowP),
      diffHigh: percentileSorted(d, highP),
      relative: sb === 0 ? Number.NaN : sc / sb - 1,
      relativeLow: percentileSorted(q, lowP),
      relativeHigh: percentileSorted(q, highP),
    };
  });
}

/**
 * For each statistic: its value in base and cand, the difference and the ratio,
 * each with a percentile-bootstrap interval (base and cand resampled independently,
 * value by value: assumes independent samples). Both samples must be non-empty.
 */
export function bootstrapShift(
  base: ArrayLike<number>,
  cand: ArrayLike<number>,
  statistics: readonly Statistic[],
  opts: Partial<BootstrapOptions> = {},
): ShiftEstimate[] {
  return shift(base, cand, statistics, opts, resample, resample);
}

/**
 * Block length for a time-ordered series: twice the first lag at which the
 * autocorrelation falls inside the ±2/√n band of white noise, at least n^(1/3)
 * (the usual rate for the moving-block bootstrap), at most n / 10 (enough blocks).
 */
export function blockLengthOf(series: ArrayLike<number>): number {
  const n = series.length;
  if (n < 20) return 1;
  const m = mean(series);
  let c0 = 0;
  for (let i = 0; i < n; i++) c0 += ((series[i] ?? 0) - m) ** 2;
  const band = 2 / Math.sqrt(n);
  const maxLag = Math.max(1, Math.floor(n / 10));
  let lag = maxLag;
  for (let k = 1; k <= maxLag && c0 > 0; k++) {
    let ck = 0;
    for (let i = k; i < n; i++) ck += ((series[i] ?? 0) - m) * ((series[i - k] ?? 0) - m);
    if (Math.abs(ck / c0) < band) {
      lag = k;
      break;
    }
  }
  return Math.max(1, Math.min(maxLag, Math.max(Math.ceil(Math.cbrt(n)), 2 * lag)));
}

/** Circular moving-block resample of a time-ordered series into target, sorted. */
function blockResample(source: ArrayLike<number>, target: Float64Array, block: number, u: Uniform): Float64Array {
  const n = source.length;
  for (let i = 0; i < n;) {
    const start = Math.floor(u() * n);
    for (let j = 0; j < block && i < n; j++, i++) target[i] = source[(start + j) % n] ?? 0;
  }
  return target.sort();
}

export interface BlockShiftEstimate extends ShiftEstimate {
  /** block lengths used for base and cand */
  blocks: { base: number; cand: number };
}

/**
 * As bootstrapShift, but each side is a time-ordered series resampled in blocks
 * of blockLengthOf(side) consecutive samples (circular), so serial dependence
 * (queueing) widens the intervals as it should.
 */
export function blockBootstrapShift(
  base: ArrayLike<number>,
  cand: ArrayLike<number>,
  statistics: readonly Statistic[],
  opts: Partial<BootstrapOptions> = {},
): BlockShiftEstimate[] {
  const blocks = { base: blockLengthOf(base), cand: blockLengthOf(cand) };
  const draw =
    (block: number): Draw =>
    (source, target, u) =>
      blockResample(source, target, block, u);
  return shift(base, cand, statistics, opts, draw(blocks.base), draw(blocks.cand)).map((e) => ({ ...e, blocks }));
}

/** A resample count that keeps one bootstrap near a second on this machine's class of CPU. */
export function affordableResamples(totalValues: number, wanted = 1000): number {
  const budget = 2e7; // values sorted in total
  return Math.max(200, Math.min(wanted, Math.floor(budget / Math.max(1, totalValues))));
}
