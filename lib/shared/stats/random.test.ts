import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exponential, gamma, mixSeed, seededUniform, weightedIndex } from './random.ts';
import { coefficientOfVariation, mean, percentileSorted } from './summary.ts';

test('seededUniform is deterministic per seed and in [0, 1)', () => {
  const a = seededUniform(42);
  const b = seededUniform(42);
  const c = seededUniform(43);
  const xs = Array.from({ length: 1000 }, () => a());
  assert.deepEqual(
    xs.slice(0, 5),
    Array.from({ length: 5 }, () => b()),
  );
  assert.notEqual(xs[0], c());
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  assert.ok(Math.abs(mean(xs) - 0.5) < 0.05);
});

test('mixSeed separates nearby inputs', () => {
  assert.notEqual(mixSeed(1, 0), mixSeed(1, 1));
  assert.notEqual(mixSeed(1, 2), mixSeed(2, 1));
  assert.equal(mixSeed(7, 9), mixSeed(7, 9));
});

test('mixSeed keeps its values (seeded workloads of earlier runs stay reproducible)', () => {
  // values of the original for-of implementation
  assert.deepEqual(
    [mixSeed(1, 0, 0), mixSeed(7, 2, 123456), mixSeed(4294967295, -1, 3.7), mixSeed()],
    [2812189633, 3990543987, 2643479589, 2166136261],
  );
});

test('exponential and gamma have the requested mean and shape', () => {
  const u = seededUniform(5);
  const n = 20000;
  const exp = Array.from({ length: n }, () => exponential(u, 2));
  assert.ok(Math.abs(mean(exp) - 2) < 0.08, `exp mean ${mean(exp)}`);
  assert.ok(Math.abs(coefficientOfVariation(exp) - 1) < 0.05);
  for (const shape of [0.25, 0.5, 1, 4]) {
    const g = Array.from({ length: n }, () => gamma(u, shape, 1 / shape));
    assert.ok(Math.abs(mean(g) - 1) < 0.06, `gamma(${shape}) mean ${mean(g)}`);
    // CV of gamma = 1/sqrt(shape)
    assert.ok(
      Math.abs(coefficientOfVariation(g) - 1 / Math.sqrt(shape)) < 0.12 / Math.sqrt(shape),
      `gamma(${shape}) cv ${coefficientOfVariation(g)}`,
    );
  }
});

test('weightedIndex follows the weights', () => {
  const u = seededUniform(9);
  const counts = [0, 0, 0];
  for (let i = 0; i < 10000; i++) counts[weightedIndex(u, [1, 0, 3])]! += 1;
  assert.equal(counts[1], 0);
  assert.ok(Math.abs(counts[2]! / 10000 - 0.75) < 0.02);
});

test('percentileSorted interpolates between ranks', () => {
  assert.equal(percentileSorted([1, 2, 3, 4, 5], 50), 3);
  assert.equal(percentileSorted([1, 2, 3, 4], 50), 2.5);
  assert.equal(percentileSorted([10], 99), 10);
  assert.ok(Number.isNaN(percentileSorted([], 50)));
});
