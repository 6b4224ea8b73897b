import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LoadConfig } from '../../shared/run-config.ts';
import { DEFAULT_WORKLOAD } from '../../shared/workload/defaults.ts';
import { buildOptions } from './options.ts';
import { allStages, judgedStages, stageFor } from './phase.ts';
import { breakpointPlan, comparePlan, rampPlan, rampRates, steadyPlan } from './shapes.ts';

const load: LoadConfig = { rateRps: 2, maxRateRps: 10, durationSeconds: 50, warmupSeconds: 5, vus: 2, maxVus: 20, arrival: 'constant', seed: 1 };
const input = { load, workload: DEFAULT_WORKLOAD, llmShare: 1 };

test('ramp: evenly spaced rates, chained steps after warm-up, abortable', () => {
  assert.deepEqual(rampRates(load, 5), [2, 4, 6, 8, 10]);
  const plan = rampPlan(input);
  assert.deepEqual(plan.phases.map((p) => [p.name, p.startS]), [['warmup', 0], ['step-01', 5], ['step-02', 15], ['step-03', 25], ['step-04', 35], ['step-05', 45]]);
  assert.equal(plan.abortable, true);
  assert.deepEqual(judgedStages(plan), ['step-01', 'step-02', 'step-03', 'step-04', 'step-05']);
});

test('k6 options: fractional rates, stage tags, SLO and report thresholds', () => {
  const plan = steadyPlan({ ...input, load: { ...load, rateRps: 2.5 } });
  const { options } = buildOptions(plan, load, { schemaVersion: 1, name: 's', classes: { llm: { ttftMs: { p95: 100 } } } });
  const measure = options.scenarios?.['measure'] as unknown as Record<string, unknown>;
  assert.deepEqual([measure['executor'], measure['rate'], measure['timeUnit'], measure['startTime'], measure['duration']], ['constant-arrival-rate', 2500, '1000s', '5000ms', '50000ms']);
  assert.deepEqual(measure['tags'], { stage: 'measure' });
  const th = options.thresholds as Record<string, unknown[]>;
  assert.deepEqual(th['genload_ttft_ms{class:llm,stage:measure}'], ['max>=0', { threshold: 'p(95)<100' }]);
  assert.deepEqual(th['genload_ttft_ms{class:llm,stage:warmup}'], ['max>=0'], 'warm-up is reported, never judged');
  assert.ok(options.summaryTrendStats?.includes('p(99)'));
});

test('breakpoint windows and compare-plan warm-up split the stage per iteration', () => {
  const bp = breakpointPlan(input).phases[1]!;
  assert.equal(stageFor(bp, 0, 0), 'bp-01');
  assert.equal(stageFor(bp, 0, 12.5), 'bp-03');
  assert.equal(stageFor(bp, 0, 80), 'bp-10', 'clamped to the last window');
  const cp = comparePlan({ ...input, workload: { ...DEFAULT_WORKLOAD, planPrompts: 2, planWarmup: 1, planMeasured: 2 } });
  const phase = cp.phases[0]!;
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((i) => stageFor(phase, i, 0)), ['warmup', 'measure', 'measure', 'warmup', 'measure', 'measure']);
  assert.deepEqual(allStages(cp), ['warmup', 'measure']);
  assert.deepEqual(judgedStages(cp), ['measure']);
});
