import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STEP_SCHEMA_VERSION, type StepMeasurement } from '../../shared/capacity/measurement.ts';
import { halvesDrift, p95RelativeError, windowFor } from './step-window.ts';

const B = { minSeconds: 2.5, maxSeconds: 10, toleranceRatio: 0.03 };

function measured(p95Ms: number, p99Ms: number, count: number, halves = { first: 500, second: 500 }): StepMeasurement {
  return {
    schemaVersion: STEP_SCHEMA_VERSION,
    offeredRps: count / 10,
    measureSeconds: 10,
    scheduled: count,
    droppedIterations: 0,
    achievedRps: count / 10,
    requests: count,
    errorRate: 0,
    latency: { 'image.e2eMs': { p50Ms: p95Ms * 0.9, p95Ms, p99Ms, count } },
    halvesP50Ms: halves,
    startLagP95Ms: 1,
    sloPassed: true,
    sloBreaches: [],
    outputTokens: 0,
    images: count,
  };
}

test('p95RelativeError: order-statistic spread of the p95 estimate, falling as 1/sqrt(n)', () => {
  // (p99 - p95) / (0.04 n) per rank × sqrt(n × 0.95 × 0.05) / p95
  const r400 = p95RelativeError(measured(500, 600, 400).latency)!;
  assert.ok(Math.abs(r400 - ((100 / 16) * Math.sqrt(400 * 0.0475)) / 500) < 1e-9, String(r400));
  const r1600 = p95RelativeError(measured(500, 600, 1600).latency)!;
  assert.ok(Math.abs(r400 / r1600 - 2) < 1e-9);
  assert.equal(p95RelativeError(measured(500, 500, 400).latency), 0);
  assert.equal(p95RelativeError({}), null);
  assert.equal(p95RelativeError(measured(500, 600, 1).latency), null);
});

test('halvesDrift: relative move of the median between the halves', () => {
  assert.equal(halvesDrift({ halvesP50Ms: { first: 500, second: 550 } }), 0.1);
  assert.equal(halvesDrift({ halvesP50Ms: { first: null, second: 550 } }), null);
});

test('windowFor: stable latency gives the shortest window, a spread one the full window', () => {
  // the sim fixture: a fixed 500 ms cost, p99 = p95
  assert.equal(windowFor(40, measured(505, 506, 390), B).seconds, 2.5);
  // a long tail: p99 twice p95 over 100 requests needs far more requests than 10 s bring
  assert.equal(windowFor(10, measured(500, 1000, 100), B).seconds, 10);
  // in between: the request count that brings the p95 error to half the tolerance
  const m = measured(500, 520, 400);
  const rse = p95RelativeError(m.latency)!;
  const want = (400 * (rse / 0.015) ** 2) / 40;
  assert.ok(want > 2.5 && want < 10, String(want));
  assert.equal(windowFor(40, m, B).seconds, Math.round(want * 10) / 10);
});

test('windowFor: full window with nothing known, or a median that moved within the nearest step', () => {
  assert.deepEqual(windowFor(40, null, B), { seconds: 10, why: 'full: no stable level measured yet' });
  const growing = measured(505, 506, 390, { first: 500, second: 560 });
  assert.equal(windowFor(40, growing, B).seconds, 10);
  assert.match(windowFor(40, growing, B).why, /median moved 12.0 %/);
});
