// Mann-Whitney U (Wilcoxon rank-sum) test of whether one sample tends to be
// larger than another, with the normal approximation, tie correction and
// continuity correction; and a two-proportion z test for error rates. Pure.
// The rank sum comes from simple-statistics; the p-value from its error function.

import { errorFunction, wilcoxonRankSum } from 'simple-statistics';

export interface RankTestResult {
  /** U statistic of `a` (number of pairs where a > b, ties count half) */
  u: number;
  z: number;
  /** two-sided p-value */
  pValue: number;
  /** P(a > b) + P(a = b) / 2: 0.5 means no tendency, 1 means every a beats every b */
  superiority: number;
}

/** Upper tail of the standard normal: P(Z > z). */
export function normalUpperTail(z: number): number {
  return z >= 0 ? (1 - errorFunction(z / Math.SQRT2)) / 2 : 1 - (1 - errorFunction(-z / Math.SQRT2)) / 2;
}

function tieCorrection(a: readonly number[], b: readonly number[]): number {
  const all = [...a, ...b].sort((x, y) => x - y);
  let sum = 0;
  for (let i = 0; i < all.length; ) {
    let j = i + 1;
    while (j < all.length && all[j] === all[i]) j++;
    const t = j - i;
    sum += t * t * t - t;
    i = j;
  }
  return sum;
}

export function mannWhitney(a: readonly number[], b: readonly number[]): RankTestResult {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) throw new Error(`mann-whitney: both samples must be non-empty, but have ${n1} and ${n2} values`);
  const n = n1 + n2;
  const u = wilcoxonRankSum([...a], [...b]) - (n1 * (n1 + 1)) / 2;
  const meanU = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieCorrection(a, b) / (n * (n - 1)));
  if (variance <= 0) return { u, z: 0, pValue: 1, superiority: u / (n1 * n2) };
  const delta = u - meanU;
  const z = (delta - Math.sign(delta) * 0.5) / Math.sqrt(variance);
  return { u, z, pValue: Math.min(1, 2 * normalUpperTail(Math.abs(z))), superiority: u / (n1 * n2) };
}

export interface ProportionTestResult {
  baseRate: number;
  candRate: number;
  z: number;
  /** one-sided p-value of "cand's rate is higher than base's" */
  pHigher: number;
}

/** Pooled two-proportion z test: failures x out of n in base and cand. */
export function twoProportionTest(baseX: number, baseN: number, candX: number, candN: number): ProportionTestResult {
  const baseRate = baseN > 0 ? baseX / baseN : 0;
  const candRate = candN > 0 ? candX / candN : 0;
  const pooled = baseN + candN > 0 ? (baseX + candX) / (baseN + candN) : 0;
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / Math.max(1, baseN) + 1 / Math.max(1, candN)));
  if (se === 0) return { baseRate, candRate, z: 0, pHigher: candRate > baseRate ? 0 : 1 };
  const z = (candRate - baseRate) / se;
  return { baseRate, candRate, z, pHigher: normalUpperTail(z) };
}
