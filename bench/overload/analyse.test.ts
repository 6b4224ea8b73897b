import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, percentile } from './analyse.ts';
import type { OpenLoopResult, Outcome } from './open-loop.ts';

/** a synthetic run: baseline 10 s at 8/s, overload 10 s at 40/s (8 accepted, rest shed), recovery 10 s at 8/s */
function run(opts: { recoverAfterS: number; acceptedLatencyMs: number; retryAfter: boolean }): OpenLoopResult {
  const outcomes: Outcome[] = [];
  const add = (startMs: number, status: number, latencyMs: number) =>
    outcomes.push({ startMs, status, latencyMs, retryAfter: status === 429 && opts.retryAfter ? '1' : undefined });
  for (let i = 0; i < 80; i++) add(i * 125, 200, 100);
  for (let i = 0; i < 400; i++) add(10_000 + i * 25, i % 5 === 0 ? 200 : 429, i % 5 === 0 ? opts.acceptedLatencyMs : 2);
  for (let i = 0; i < 80; i++) {
    const t = 20_000 + i * 125;
    add(t, t < 20_000 + opts.recoverAfterS * 1000 ? 429 : 200, 100);
  }
  const phases = [
    { name: 'baseline', startMs: 0, endMs: 10_000, rateRps: 8 },
    { name: 'overload', startMs: 10_000, endMs: 20_000, rateRps: 40 },
    { name: 'recovery', startMs: 20_000, endMs: 30_000, rateRps: 8 },
  ];
  return { outcomes, phases, lateP99Ms: 1, lateMaxMs: 5 };
}
const rss = Array.from({ length: 60 }, (_, i) => ({ tMs: i * 500, rssBytes: (100 + (i > 20 ? 10 : 0)) * 1024 * 1024 }));

test('a server that sheds with Retry-After, keeps accepted latency bounded and recovers at once passes every check', () => {
  const r = analyse({
    result: run({ recoverAfterS: 0, acceptedLatencyMs: 450, retryAfter: true }),
    rss,
    capacityRps: 8,
    queueBoundMs: 500,
    costMs: 100,
  });
  assert.deepEqual(r.checks, { shed: 'pass', p95: 'pass', memory: 'pass', recovery: 'pass', client: 'pass' });
  assert.equal(r.overload.shedShare, 0.8);
  assert.equal(r.overload.okRps, 8);
  assert.equal(r.recovery.seconds, 0);
  assert.equal(r.rss.growthBytes, 10 * 1024 * 1024);
});

test('slow recovery, latency past the bound and 429 without Retry-After each fail their check', () => {
  const r = analyse({
    result: run({ recoverAfterS: 12, acceptedLatencyMs: 900, retryAfter: false }),
    rss,
    capacityRps: 8,
    queueBoundMs: 500,
    costMs: 100,
  });
  assert.equal(r.checks.shed, 'FAIL');
  assert.equal(r.checks.p95, 'FAIL');
  assert.equal(r.checks.recovery, 'FAIL');
  assert.equal(r.recovery.seconds, null);
});

test('percentile is nearest-rank', () => {
  assert.equal(percentile([1, 2, 3, 4], 0.5), 2);
  assert.equal(percentile([1, 2, 3, 4], 0.95), 4);
  assert.ok(Number.isNaN(percentile([], 0.5)));
});
