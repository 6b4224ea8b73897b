// The Retry-After estimate with injected numbers and an injected clock: no real waiting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CompletionPace, queueWaitMs, retryAfterSeconds } from './retry-after.ts';

test('retryAfterSeconds: (waiting + 1) × pace, rounded up, clamped to [1, max]; the fallback until a pace is known', () => {
  const cases: [
    waiting: number,
    paceMs: number | undefined,
    fallbackSeconds: number,
    maxSeconds: number,
    expected: number,
  ][] = [
    [0, undefined, 3, 60, 3], // nothing measured yet: the configured value
    [9, undefined, 90, 60, 60], // the fallback is clamped too
    [3, 250, 3, 60, 1], // 4 × 250 ms = exactly 1 s
    [4, 250, 3, 60, 2], // 5 × 250 ms = 1.25 s -> 2
    [0, 1, 3, 60, 1], // 1 ms rounds up to the 1 s floor, not down to 0
    [0, 0, 3, 60, 1], // completions at the same instant: still at least 1 s
    [63, 100, 1, 60, 7], // 64 × 100 ms = 6.4 s -> 7
    [63, 5000, 1, 60, 60], // 320 s -> the maximum
  ];
  for (const [waiting, paceMs, fallbackSeconds, maxSeconds, expected] of cases) {
    assert.equal(
      retryAfterSeconds({ waitMs: queueWaitMs(waiting, paceMs), fallbackSeconds, maxSeconds }),
      expected,
      JSON.stringify({ waiting, paceMs, fallbackSeconds, maxSeconds }),
    );
  }
});

test('CompletionPace: intervals between releases while busy, an EWMA per model; idle gaps and the first completion of a busy period are not measured', () => {
  let now = 0;
  const pace = new CompletionPace(() => now);
  pace.released('m', 0); // a lone request finished: nothing to compare with
  assert.equal(pace.pace('m'), undefined);
  now = 10_000; // an idle gap of 10 s is no measure of capacity
  pace.released('m', 2); // first completion of a busy period: starts the clock
  assert.equal(pace.pace('m'), undefined);
  now += 200;
  pace.released('m', 1);
  assert.equal(pace.pace('m'), 200); // the first interval sets the pace
  now += 100;
  pace.released('m', 0); // the first intervals are averaged: (200 + 100) / 2
  assert.equal(pace.pace('m'), 150);
  now += 60_000;
  pace.released('m', 0); // the busy period had ended: the gap is not a sample
  assert.equal(pace.pace('m'), 150);
  pace.released('m', 1);
  for (let i = 0; i < 20; i++) {
    now += 150;
    pace.released('m', 1);
  }
  now += 1150;
  pace.released('m', 1); // past 10 samples, the newest weighs 0.1: 150 + 0.1 × (1150 - 150)
  assert.equal(pace.pace('m'), 250);
  assert.equal(pace.pace('other'), undefined);
});

test('CompletionPace: 4 slots finishing together every 400 ms settle near 100 ms per completion (service time / concurrency)', () => {
  let now = 0;
  const pace = new CompletionPace(() => now);
  for (let round = 0; round < 50; round++) {
    now += 400;
    for (let i = 0; i < 4; i++) pace.released('m', 8);
  }
  const p = pace.pace('m')!;
  assert.ok(p > 60 && p < 140, `pace ${p} ms`);
});
