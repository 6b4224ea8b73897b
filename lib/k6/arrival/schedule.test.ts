import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coefficientOfVariation, mean } from '../../shared/stats/summary.ts';
import { ArrivalSchedule, type ArrivalPlan } from './schedule.ts';

const plan = (p: Partial<ArrivalPlan>): ArrivalPlan => ({
  arrival: 'poisson',
  rateRps: 10,
  gammaShape: 0.5,
  seed: 1,
  windowArrivals: 32,
  ...p,
});

function sendTimes(p: ArrivalPlan, n: number): number[] {
  const s = new ArrivalSchedule(p);
  return Array.from({ length: n }, (_, i) => s.plannedSendSeconds(i)).sort((a, b) => a - b);
}

test('constant arrivals add no delay', () => {
  const s = new ArrivalSchedule(plan({ arrival: 'constant' }));
  assert.equal(s.delaySeconds(0), 0);
  assert.equal(s.delaySeconds(123), 0);
});

test('delays are within (0, 2W) and deterministic per seed', () => {
  const p = plan({});
  const a = new ArrivalSchedule(p);
  const b = new ArrivalSchedule(p);
  const windowS = 32 / 10;
  for (let i = 0; i < 500; i++) {
    const d = a.delaySeconds(i);
    assert.ok(d > 0 && d < 2 * windowS, `delay ${d} at ${i}`);
    assert.equal(d, b.delaySeconds(i));
  }
  assert.notEqual(new ArrivalSchedule(plan({ seed: 2 })).delaySeconds(5), a.delaySeconds(5));
});

test('poisson gaps have mean 1/rate and CV near 1; gamma is burstier; the rate is exact per window', () => {
  const n = 32 * 200;
  const gaps = (p: ArrivalPlan) => {
    const t = sendTimes(p, n);
    return t.slice(1).map((x, i) => x - (t[i] ?? 0));
  };
  const poisson = gaps(plan({}));
  assert.ok(Math.abs(mean(poisson) - 0.1) < 0.005, `mean ${mean(poisson)}`);
  assert.ok(Math.abs(coefficientOfVariation(poisson) - 1) < 0.1, `cv ${coefficientOfVariation(poisson)}`);
  const bursty = gaps(plan({ arrival: 'gamma', gammaShape: 0.25 }));
  assert.ok(coefficientOfVariation(bursty) > 1.5, `gamma cv ${coefficientOfVariation(bursty)}`);
  const t = sendTimes(plan({}), n);
  // 32 arrivals land in each 3.2 s window (shifted by one window)
  for (const w of [1, 50, 150]) assert.equal(t.filter((x) => x >= w * 3.2 && x < (w + 1) * 3.2).length, 32);
});
