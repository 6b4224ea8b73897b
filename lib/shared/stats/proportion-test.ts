// A two-proportion z test for error rates (the gate's error-rate check) and
// the normal tail it needs (simple-statistics' error function). Pure.
// Latency comparisons use the block bootstrap (bootstrap.ts), not a rank test:
// rank tests assume independent samples, which queueing breaks.

import { errorFunction } from 'simple-statistics';

/** Upper tail of the standard normal: P(Z > z). */
export function normalUpperTail(z: number): number {
  return z >= 0 ? (1 - errorFunction(z / Math.SQRT2)) / 2 : 1 - (1 - errorFunction(-z / Math.SQRT2)) / 2;
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
