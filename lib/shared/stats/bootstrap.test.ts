import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bootstrapShift, STATISTIC } from './bootstrap.ts';
import { mixSeed, normal, seededUniform } from './random.ts';
import { mannWhitney, normalUpperTail, twoProportionTest } from './rank-test.ts';

const draw = (seed: number, n: number, mu: number, sigma: number): number[] => {
  const u = seededUniform(mixSeed(seed, 99));
  return Array.from({ length: n }, () => mu + sigma * normal(u));
};

test('bootstrap: a 20 % shift is inside the interval and zero is outside; same seed gives the same interval', () => {
  const base = draw(1, 400, 100, 10);
  const cand = draw(2, 400, 120, 12);
  const stats = [STATISTIC.mean, STATISTIC.percentile(50), STATISTIC.percentile(95)];
  const [m, p50, p95] = bootstrapShift(base, cand, stats, { seed: 7, resamples: 500 });
  for (const e of [m!, p50!, p95!]) {
    assert.ok(e.diffLow > 0 && e.diffLow <= e.diff && e.diff <= e.diffHigh, JSON.stringify(e));
    assert.ok(e.relativeLow < 0.2 + 0.06 && e.relativeHigh > 0.2 - 0.06, JSON.stringify(e));
  }
  assert.deepEqual(bootstrapShift(base, cand, stats, { seed: 7, resamples: 500 }), bootstrapShift(base, cand, stats, { seed: 7, resamples: 500 }));
});

test('bootstrap: two draws of one distribution give an interval around zero', () => {
  const [e] = bootstrapShift(draw(3, 300, 100, 10), draw(4, 300, 100, 10), [STATISTIC.percentile(95)], { seed: 1, resamples: 500 });
  assert.ok(e!.diffLow < 0 && e!.diffHigh > 0, JSON.stringify(e));
});

test('bootstrap refuses an empty sample', () => {
  assert.throws(() => bootstrapShift([], [1], [STATISTIC.mean]), /non-empty/);
});

test('mann-whitney: known U, symmetric p-values, detects a shift, not noise', () => {
  // every a beats every b: U = n1 * n2
  const r = mannWhitney([10, 11, 12], [1, 2, 3, 4]);
  assert.equal(r.u, 12);
  assert.equal(r.superiority, 1);
  assert.equal(mannWhitney([1, 2, 3, 4], [10, 11, 12]).u, 0);
  assert.ok(mannWhitney(draw(5, 200, 100, 10), draw(6, 200, 110, 10)).pValue < 1e-6);
  assert.ok(mannWhitney(draw(7, 200, 100, 10), draw(8, 200, 100, 10)).pValue > 0.05);
  assert.equal(mannWhitney([5, 5, 5], [5, 5]).pValue, 1);
});

test('normal tail and two-proportion test', () => {
  assert.ok(Math.abs(normalUpperTail(1.959964) - 0.025) < 1e-4);
  assert.ok(Math.abs(normalUpperTail(-1.959964) - 0.975) < 1e-4);
  assert.ok(twoProportionTest(10, 1000, 60, 1000).pHigher < 1e-6);
  assert.ok(twoProportionTest(10, 1000, 12, 1000).pHigher > 0.05);
  assert.equal(twoProportionTest(0, 100, 0, 100).pHigher, 1);
});
