import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileSlo } from '../slo/compile.ts';
import { COMPLETED_IN_WINDOW, STARTED_IN_WINDOW, extractStep, stepThresholds, type K6Metric } from './extract.ts';

// Shaped like k6's handleSummary data of a capacity step (image traffic, 20 rps, 4 s measured).
const trend = (
  med: number,
  p95: number,
  p99: number,
  count: number,
  thresholds?: Record<string, { ok: boolean }>,
): K6Metric => ({
  type: 'trend',
  values: { avg: med, min: med * 0.9, med, max: p99 * 1.1, 'p(90)': p95 * 0.95, 'p(95)': p95, 'p(99)': p99, count },
  ...(thresholds ? { thresholds } : {}),
});
const RECORDED: Record<string, K6Metric> = {
  'genload_requests{stage:measure}': { type: 'counter', values: { count: 82, rate: 12.1 } },
  'genload_error_rate{class:image,stage:measure}': {
    type: 'rate',
    values: { rate: 2 / 82, passes: 2, fails: 80 },
    thresholds: { 'rate<=0.01': { ok: false } },
  },
  'genload_e2e_ms{class:image,stage:measure}': trend(103.4, 113.1, 145.7, 80, { 'p(95)<100': { ok: false } }),
  'genload_step_ms{class:image,stage:measure}': trend(20, 20.2, 20.5, 80),
  'genload_images{class:image,stage:measure}': { type: 'counter', values: { count: 80, rate: 11 } },
  'genload_e2e_ms{scenario:measure-a}': trend(104.1, 110, 120, 40),
  'genload_e2e_ms{scenario:measure-b}': trend(103.1, 110, 120, 40),
  'dropped_iterations{scenario:measure-b}': { type: 'counter', values: { count: 3, rate: 0.5 } },
  'genload_start_lag_ms{stage:measure}': trend(0.5, 2, 4, 82),
  [COMPLETED_IN_WINDOW]: { type: 'counter', values: { count: 77, rate: 10 } },
  [STARTED_IN_WINDOW]: { type: 'counter', values: { count: 79, rate: 10 } },
};

test('extractStep reads a recorded step', () => {
  const m = extractStep(RECORDED, {
    offeredRps: 20,
    measureSeconds: 4,
    classes: ['image'],
    conditions: compileSlo({
      slo: { schemaVersion: 1, name: 'x', classes: { image: { e2eMs: { p95: 100 }, errorRate: 0.01 } } },
      judgedStages: ['measure'],
      classes: ['image'],
      abortable: false,
    }).conditions,
  });
  assert.equal(m.scheduled, 82); // 79 started + 3 dropped
  assert.equal(m.droppedIterations, 3);
  assert.ok(Math.abs(m.achievedRps - (20 * 77) / 82) < 1e-9);
  assert.equal(m.requests, 82);
  assert.ok(Math.abs(m.errorRate - 2 / 82) < 1e-9);
  assert.deepEqual(Object.keys(m.latency).sort(), ['image.e2eMs', 'image.stepMs']);
  assert.deepEqual(m.latency['image.e2eMs'], { p50Ms: 103.4, p95Ms: 113.1, p99Ms: 145.7, count: 80 });
  assert.deepEqual(m.halvesP50Ms, { first: 104.1, second: 103.1 });
  assert.equal(m.startLagP95Ms, 2);
  assert.equal(m.images, 80);
  assert.equal(m.sloPassed, false);
  assert.equal(m.sloBreaches.length, 2);
  const latency = m.sloBreaches.find((b) => b.expression === 'p(95)<100')!;
  assert.equal(latency.observed, 113.1);
  assert.ok(Math.abs(latency.ratio! - 1.131) < 1e-9);
  const errors = m.sloBreaches.find((b) => b.expression === 'rate<=0.01')!;
  assert.equal(errors.ratio, null); // not a latency bound
});

test('extractStep: no SLO conditions means no SLO verdict; empty data gives an empty, invalid-looking step', () => {
  const m = extractStep({}, { offeredRps: 5, measureSeconds: 2, classes: ['llm'], conditions: [] });
  assert.equal(m.sloPassed, null);
  assert.equal(m.requests, 0);
  assert.equal(m.scheduled, 10);
  assert.equal(m.achievedRps, 0);
  assert.deepEqual(m.halvesP50Ms, { first: null, second: null });
  assert.equal(m.startLagP95Ms, null);
});

test('stepThresholds always hold (report-only) and name what extractStep reads', () => {
  const t = stepThresholds();
  assert.deepEqual(t[COMPLETED_IN_WINDOW], ['count>=0']);
  assert.ok(
    t['genload_e2e_ms{scenario:measure-a}'] !== undefined && t['dropped_iterations{scenario:measure-b}'] !== undefined,
  );
});
