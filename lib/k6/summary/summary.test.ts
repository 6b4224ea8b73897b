import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunConfig } from '../../shared/run-config.ts';
import { compileSlo } from '../../shared/slo/compile.ts';
import { DEFAULT_WORKLOAD } from '../../shared/workload/defaults.ts';
import { rampPlan } from '../../shared/plan/shapes.ts';
import { buildSummary, type K6SummaryData } from './build.ts';
import { renderText } from './render-text.ts';

const load = {
  rateRps: 2,
  maxRateRps: 4,
  durationSeconds: 4,
  warmupSeconds: 0,
  vus: 1,
  maxVus: 8,
  arrival: 'constant' as const,
  seed: 1,
};
const config: RunConfig = {
  schemaVersion: 1,
  scenario: 'ramp',
  runId: 'r1',
  runDir: '/tmp/x',
  target: { url: 'http://h', api: 'reference', managed: true, readyPath: '/ready' },
  load,
  sloPath: null,
  slo: { schemaVersion: 1, name: 'errors-only', classes: { llm: { errorRate: 0.05 }, image: { errorRate: 0.05 } } },
  workload: { rampSteps: 2 },
  workloadFile: { path: '/tmp/x/workload.jsonl', sha256: 'ab', count: 20, source: 'synthetic' },
};

test('buildSummary reads per-stage sub-metrics, verdicts and the highest passing ramp step', () => {
  const plan = rampPlan({ load, workload: { ...DEFAULT_WORKLOAD, rampSteps: 2 }, llmShare: 1 });
  const compiled = compileSlo({
    slo: { schemaVersion: 1, name: 'x', classes: { llm: { e2eMs: { p95: 100 } } } },
    judgedStages: ['step-01', 'step-02'],
    classes: ['llm'],
    abortable: true,
  });
  const trend = (p95: number) => ({
    type: 'trend',
    values: { count: 4, avg: 50, min: 10, med: 40, max: 200, 'p(90)': 90, 'p(95)': p95, 'p(99)': 150 },
  });
  const data: K6SummaryData = {
    state: { testRunDurationMs: 4200 },
    metrics: {
      'genload_requests{stage:step-01}': { type: 'counter', values: { count: 4 } },
      'genload_requests{stage:step-02}': { type: 'counter', values: { count: 8 } },
      'genload_requests{class:llm,stage:step-01}': {
        type: 'counter',
        values: { count: 4 },
        thresholds: { 'count>=1': { ok: true } },
      },
      'genload_requests{class:llm,stage:step-02}': {
        type: 'counter',
        values: { count: 8 },
        thresholds: { 'count>=1': { ok: true } },
      },
      'genload_e2e_ms{class:llm,stage:step-01}': { ...trend(80), thresholds: { 'p(95)<100': { ok: true } } },
      'genload_e2e_ms{class:llm,stage:step-02}': { ...trend(120), thresholds: { 'p(95)<100': { ok: false } } },
      'genload_samples{class:llm,metric_name:genload_e2e_ms,stage:step-01}': {
        type: 'counter',
        values: { count: 4 },
        thresholds: { 'count>=1': { ok: true } },
      },
      'genload_samples{class:llm,metric_name:genload_e2e_ms,stage:step-02}': {
        type: 'counter',
        values: { count: 8 },
        thresholds: { 'count>=1': { ok: true } },
      },
      'genload_output_tokens{class:llm,stage:step-02}': { type: 'counter', values: { count: 80 } },
    },
  };
  const s = buildSummary(data, config, plan, compiled, 'x');
  assert.equal(s.schemaVersion, 1);
  assert.deepEqual(
    s.stages.map((x) => [x.stage, x.offeredRps, x.requests, x.achievedRps]),
    [
      ['step-01', 2, 4, 2],
      ['step-02', 4, 8, 4],
    ],
  );
  assert.equal(s.stages[1]!.classes.llm?.latency['genload_e2e_ms']?.p95, 120);
  assert.equal(s.stages[1]!.classes.llm?.outputTokensPerS, 40);
  assert.equal(s.slo.passed, false);
  assert.equal(s.slo.highestPassingRps, 2);
  assert.equal(s.validity.valid, true);
  const text = renderText(s);
  assert.match(text, /FAIL step-02 llm: e2eMs p95 < 100 ms/);
  assert.match(text, /highest passing rate: 2\.0 rps/);
  // the profile and its bounds are named, from the verdicts' records
  assert.match(text, /^slo x \(e2e p95 < 100 ms\): failed/m);
  assert.deepEqual(s.slo.verdicts.find((v) => v.stage === 'step-02' && v.record?.metric === 'e2eMs')?.record, {
    stage: 'step-02',
    class: 'llm',
    metric: 'e2eMs',
    statistic: 'p95',
    op: '<',
    bound: 100,
    unit: 'ms',
  });
});

test('buildSummary: thresholds of stages the run never reached (an aborted ramp) are marked not reached, not breached', () => {
  // three 5 s steps after a 5 s warm-up; the run stopped 12 s in, during step-02
  const plan = rampPlan({
    load: { ...load, durationSeconds: 15, warmupSeconds: 5 },
    workload: { ...DEFAULT_WORKLOAD, rampSteps: 3 },
    llmShare: 1,
  });
  const compiled = compileSlo({
    slo: { schemaVersion: 1, name: 'x', classes: { llm: { e2eMs: { p95: 100 } } } },
    judgedStages: ['step-01', 'step-02', 'step-03'],
    classes: ['llm'],
    abortable: true,
  });
  const count = (n: number, ok: boolean) => ({
    type: 'counter',
    values: { count: n },
    thresholds: { 'count>=1': { ok } },
  });
  const data: K6SummaryData = {
    state: { testRunDurationMs: 12_000 },
    metrics: {
      'genload_requests{class:llm,stage:step-01}': count(10, true),
      'genload_requests{class:llm,stage:step-02}': count(3, true),
      'genload_requests{class:llm,stage:step-03}': count(0, false),
      'genload_e2e_ms{class:llm,stage:step-01}': {
        type: 'trend',
        values: { 'p(95)': 50 },
        thresholds: { 'p(95)<100': { ok: true } },
      },
      'genload_samples{class:llm,metric_name:genload_e2e_ms,stage:step-01}': count(10, true),
      'genload_e2e_ms{class:llm,stage:step-02}': {
        type: 'trend',
        values: { 'p(95)': 500 },
        thresholds: { 'p(95)<100': { ok: false } },
      },
      'genload_e2e_ms{class:llm,stage:step-03}': {
        type: 'trend',
        values: {},
        thresholds: { 'p(95)<100': { ok: true } },
      },
    },
  };
  const s = buildSummary(data, config, plan, compiled, 'x');
  const of = (stage: string) => s.slo.verdicts.filter((v) => v.stage === stage);
  assert.ok(
    of('step-02').some((v) => !v.ok && v.notReached === undefined),
    'the breach itself stays a breach',
  );
  assert.ok(
    of('step-03').filter((v) => !v.ok).length > 0 &&
      of('step-03')
        .filter((v) => !v.ok)
        .every((v) => v.notReached === true),
  );
  assert.equal(s.slo.passed, false);
  assert.equal(s.slo.highestPassingRps, 2, 'step-01 (2 rps) held');
  const text = renderText(s);
  assert.match(text, /FAIL step-02 llm: e2eMs p95 < 100 ms/);
  assert.match(text, /skip step-03 llm: requests >= 1 \(not reached: the run stopped earlier\)/);
});
