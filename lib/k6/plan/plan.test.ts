import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LoadConfig } from '../../shared/run-config.ts';
import type { Slo } from '../../shared/slo/schema.ts';
import { DEFAULT_WORKLOAD } from '../../shared/workload/defaults.ts';
import { buildOptions } from './options.ts';
import { allStages, judgedStages, stageFor } from '../../shared/plan/phase.ts';
import {
  breakpointPlan,
  comparePlan,
  concurrencyPlan,
  concurrencySteps,
  rampPlan,
  rampRates,
  steadyPlan,
} from '../../shared/plan/shapes.ts';

const load: LoadConfig = {
  rateRps: 2,
  maxRateRps: 10,
  durationSeconds: 50,
  warmupSeconds: 5,
  vus: 2,
  maxVus: 20,
  arrival: 'constant',
  seed: 1,
};
const input = { load, workload: DEFAULT_WORKLOAD, llmShare: 1 };
/** the profile with no latency bound (thresholds/errors-only.json) */
const ERRORS_ONLY: Slo = {
  schemaVersion: 1,
  name: 'errors-only',
  classes: { llm: { errorRate: 0.05 }, image: { errorRate: 0.05 } },
};

test('ramp: evenly spaced rates, chained steps after warm-up, abortable', () => {
  assert.deepEqual(rampRates(load, 5), [2, 4, 6, 8, 10]);
  const plan = rampPlan(input);
  assert.deepEqual(
    plan.phases.map((p) => [p.name, p.startS]),
    [
      ['warmup', 0],
      ['step-01', 5],
      ['step-02', 15],
      ['step-03', 25],
      ['step-04', 35],
      ['step-05', 45],
    ],
  );
  assert.equal(plan.abortable, true);
  assert.deepEqual(judgedStages(plan), ['step-01', 'step-02', 'step-03', 'step-04', 'step-05']);
});

test('ramp and breakpoint thresholds abort only after their step or window has ended', () => {
  const slo = {
    schemaVersion: 1 as const,
    name: 's',
    classes: { llm: { e2eMs: { p95: 100 } } },
    abort: { onFail: true, delaySeconds: 10 },
  };
  const ramp = buildOptions(rampPlan(input), load, slo).options.thresholds as Record<
    string,
    Array<{ delayAbortEval?: string }>
  >;
  // warm-up 5 s, five 10 s steps: step-01 ends at 15 s, step-04 at 45 s (+1 s settle)
  assert.equal(ramp['genload_e2e_ms{class:llm,stage:step-01}']?.[1]?.delayAbortEval, '16s');
  assert.equal(ramp['genload_e2e_ms{class:llm,stage:step-04}']?.[1]?.delayAbortEval, '46s');
  const bp = buildOptions(breakpointPlan(input), load, slo).options.thresholds as Record<
    string,
    Array<{ delayAbortEval?: string }>
  >;
  // 50 s in 10 windows of 5 s after the 5 s warm-up: bp-03 ends at 20 s
  assert.equal(bp['genload_e2e_ms{class:llm,stage:bp-03}']?.[1]?.delayAbortEval, '21s');
});

test('concurrency: closed-model steps 1, 2, 4, ... up to MAX_VUS (or the list), judged at their end, abortable', () => {
  assert.deepEqual(concurrencySteps({ ...load, maxVus: 20 }), [1, 2, 4, 8, 16, 20]);
  assert.deepEqual(concurrencySteps({ ...load, maxVus: 8 }), [1, 2, 4, 8]);
  assert.deepEqual(concurrencySteps({ ...load, concurrency: [3, 6] }), [3, 6]);
  const plan = concurrencyPlan({ ...input, load: { ...load, concurrency: [1, 4], durationSeconds: 20 } });
  assert.equal(plan.abortable, true);
  assert.deepEqual(
    plan.phases.map((p) => [p.name, p.startS, p.executor.kind === 'constant-vus' ? p.executor.vus : 0]),
    [
      ['warmup', 0, 1],
      ['step-01', 5, 1],
      ['step-02', 15, 4],
    ],
  );
  const slo = {
    schemaVersion: 1 as const,
    name: 's',
    classes: { llm: { e2eMs: { p95: 100 } } },
    abort: { onFail: true, delaySeconds: 1 },
  };
  const th = buildOptions(plan, load, slo).options.thresholds as Record<string, Array<{ delayAbortEval?: string }>>;
  assert.equal(th['genload_e2e_ms{class:llm,stage:step-01}']?.[1]?.delayAbortEval, '16s');
});

test("VUs are pre-allocated from rate × the SLO's e2e bound; a probe VU watches the generator", () => {
  const steady = steadyPlan({ ...input, load: { ...load, rateRps: 3 } });
  const at = (slo: Parameters<typeof buildOptions>[2]) =>
    buildOptions(steady, { ...load, maxVus: 64 }, slo).options.scenarios?.['measure'] as unknown as {
      preAllocatedVUs: number;
      maxVUs: number;
    };
  // no e2e bound: 1 s assumed, 3 rps × 1 s × 1.5 + 1
  assert.deepEqual(at(ERRORS_ONLY), { ...at(ERRORS_ONLY), preAllocatedVUs: 6, maxVUs: 64 });
  // e2e p95 4 s: 3 × 4 × 1.5 + 1 = 19
  assert.equal(at({ schemaVersion: 1, name: 's', classes: { llm: { e2eMs: { p95: 4000 } } } }).preAllocatedVUs, 19);
  const probe = buildOptions(steady, load, ERRORS_ONLY).options.scenarios?.['genload-probe'] as unknown as Record<
    string,
    unknown
  >;
  assert.deepEqual([probe['executor'], probe['vus'], probe['duration']], ['constant-vus', 1, '55000ms']);
  assert.equal(
    buildOptions(comparePlan(input), load, ERRORS_ONLY).options.scenarios?.['genload-probe'],
    undefined,
    'compare-plan counts iterations: not probed',
  );
});

test('k6 options: fractional rates, stage tags, SLO and report thresholds', () => {
  const plan = steadyPlan({ ...input, load: { ...load, rateRps: 2.5 } });
  const { options } = buildOptions(plan, load, {
    schemaVersion: 1,
    name: 's',
    classes: { llm: { ttftMs: { p95: 100 } } },
  });
  const measure = options.scenarios?.['measure'] as unknown as Record<string, unknown>;
  assert.deepEqual(
    [measure['executor'], measure['rate'], measure['timeUnit'], measure['startTime'], measure['duration']],
    ['constant-arrival-rate', 2500, '1000s', '5000ms', '50000ms'],
  );
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
  const cp = comparePlan({
    ...input,
    workload: { ...DEFAULT_WORKLOAD, planPrompts: 2, planWarmup: 1, planMeasured: 2 },
  });
  const phase = cp.phases[0]!;
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5].map((i) => stageFor(phase, i, 0)),
    ['warmup', 'measure', 'measure', 'warmup', 'measure', 'measure'],
  );
  assert.deepEqual(allStages(cp), ['warmup', 'measure']);
  assert.deepEqual(judgedStages(cp), ['measure']);
});

test('requestShortfalls: a stage whose arrivals cannot reach minRequests is named; feasible plans give none', async () => {
  const { requestShortfalls } = await import('./feasibility.ts');
  const chat = {
    schemaVersion: 1 as const,
    name: 'chat',
    classes: { llm: { minRequests: 10, errorRate: 0.01 }, image: { minRequests: 3 } },
  };
  const ramp = (durationSeconds: number, llmShare = 1) =>
    rampPlan({ ...input, llmShare, load: { ...load, rateRps: 1, maxRateRps: 20, durationSeconds } });
  // make load SCENARIO=ramp DURATION=40s: five 8 s steps, the first at 1 rps: 9 requests at most
  const short = requestShortfalls(ramp(40), chat);
  assert.equal(short.length, 1);
  assert.match(
    short[0] ?? '',
    /^stage step-01: 1 rps for 8 s starts at most 9 llm requests, under the SLO's minRequests 10 for llm, so the stage cannot pass \(raise the duration or the rate, or lower minRequests\)$/,
  );
  assert.deepEqual(requestShortfalls(ramp(60), chat), [], 'the ramp default (60 s) can pass');
  assert.deepEqual(requestShortfalls(ramp(40), ERRORS_ONLY), [], 'errors-only asks for one request');
  // a mixed run: the image share of a step counts against the image minRequests
  const mixed = requestShortfalls(ramp(60, 0.8), chat);
  assert.ok(
    mixed.some((l) => /^stage step-01: .* at most 2 image requests, 20 % of them image/.test(l)),
    mixed.join('\n'),
  );
  // windowed stages (breakpoint) are checked per window; warm-up is never judged
  const bp = breakpointPlan({ ...input, load: { ...load, rateRps: 1, maxRateRps: 11, durationSeconds: 20 } });
  assert.deepEqual(requestShortfalls(bp, { schemaVersion: 1, name: 'w', classes: { llm: { minRequests: 4 } } }), []);
  const early = requestShortfalls(bp, { schemaVersion: 1, name: 'w', classes: { llm: { minRequests: 6 } } });
  assert.deepEqual(early, [
    `stage bp-01: 1→2 rps for 2 s starts at most 4 llm requests, under the SLO's minRequests 6 for llm, so the stage cannot pass (raise the duration or the rate, or lower minRequests)`,
  ]);
});
