import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blockBootstrapShift, blockLengthOf, bootstrapShift, STATISTIC } from './bootstrap.ts';
import { mixSeed, normal, seededUniform } from './random.ts';
import { normalUpperTail, twoProportionTest } from './proportion-test.ts';

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
  assert.deepEqual(
    bootstrapShift(base, cand, stats, { seed: 7, resamples: 500 }),
    bootstrapShift(base, cand, stats, { seed: 7, resamples: 500 }),
  );
});

test('bootstrap: two draws of one distribution give an interval around zero', () => {
  const [e] = bootstrapShift(draw(3, 300, 100, 10), draw(4, 300, 100, 10), [STATISTIC.percentile(95)], {
    seed: 1,
    resamples: 500,
  });
  assert.ok(e!.diffLow < 0 && e!.diffHigh > 0, JSON.stringify(e));
});

test('bootstrap refuses an empty sample', () => {
  assert.throws(() => bootstrapShift([], [1], [STATISTIC.mean]), /non-empty/);
});

test('normal tail and two-proportion test', () => {
  assert.ok(Math.abs(normalUpperTail(1.959964) - 0.025) < 1e-4);
  assert.ok(Math.abs(normalUpperTail(-1.959964) - 0.975) < 1e-4);
  assert.ok(twoProportionTest(10, 1000, 60, 1000).pHigher < 1e-6);
  assert.ok(twoProportionTest(10, 1000, 12, 1000).pHigher > 0.05);
  assert.equal(twoProportionTest(0, 100, 0, 100).pHigher, 1);
});

test('block bootstrap: serially dependent samples get wider intervals than independent resampling gives them', () => {
  // an AR(1) series (queueing-like: each latency leans on the previous one), two draws of the same process
  const ar = (seed: number, n: number): number[] => {
    const u = seededUniform(seed);
    const out: number[] = [];
    let x = 0;
    for (let i = 0; i < n; i++) {
      x = 0.95 * x + (u() - 0.5) * 20;
      out.push(100 + x);
    }
    return out;
  };
  const a = ar(1, 2000);
  const b = ar(2, 2000);
  assert.ok(blockLengthOf(a) >= 20, `block length ${blockLengthOf(a)} for strongly dependent samples`);
  const shuffled = Array.from({ length: 2000 }, (_, i) => a[(i * 7919) % 2000]!);
  assert.ok(blockLengthOf(shuffled) <= 13, `block length ${blockLengthOf(shuffled)} for independent samples`);
  const [iid] = bootstrapShift(a, b, [STATISTIC.percentile(50)], { seed: 3, resamples: 400 });
  const [block] = blockBootstrapShift(a, b, [STATISTIC.percentile(50)], { seed: 3, resamples: 400 });
  assert.ok(
    block!.diffHigh - block!.diffLow > 2.5 * (iid!.diffHigh - iid!.diffLow),
    `block ${block!.diffLow}…${block!.diffHigh} vs iid ${iid!.diffLow}…${iid!.diffHigh}`,
  );
  assert.ok(block!.diffLow < 0 && block!.diffHigh > 0, 'two draws of one process: the block interval holds 0');
  assert.deepEqual(
    blockBootstrapShift(a, b, [STATISTIC.mean], { seed: 9, resamples: 50 }),
    blockBootstrapShift(a, b, [STATISTIC.mean], { seed: 9, resamples: 50 }),
    'seeded',
  );
});
