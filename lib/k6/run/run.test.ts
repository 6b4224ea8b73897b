// Unit tests of the run wiring (context.ts, iteration.ts, client.ts) with a
// fake clock, a fake workload store and a recording client, no k6. define.ts
// only glues these to k6's runtime and is covered by the end-to-end runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TREND } from '../../shared/metrics.ts';
import { RUN_CONFIG_SCHEMA_VERSION, type LoadConfig, type RunConfig, type TargetApi } from '../../shared/run-config.ts';
import type { Slo } from '../../shared/slo/schema.ts';
import { withWorkloadDefaults } from '../../shared/workload/defaults.ts';
import type { Plan } from '../../shared/plan/phase.ts';
import { phaseBlocks } from '../../shared/plan/requests.ts';
import { comparePlan, steadyPlan, tracePlan } from '../../shared/plan/shapes.ts';
import { clientSpec, requestHeaders } from './client.ts';
import {
  buildRunContext,
  workloadProblems,
  type Clock,
  type RequestClient,
  type SendFailure,
  type WorkloadStore,
} from './context.ts';
import { runIteration } from './iteration.ts';

const LOAD: LoadConfig = {
  rateRps: 4,
  maxRateRps: 8,
  durationSeconds: 10,
  warmupSeconds: 2,
  vus: 1,
  maxVus: 8,
  arrival: 'constant',
  seed: 3,
};

/** the profile with no latency bound (thresholds/errors-only.json): these tests are about requests, not verdicts */
const ERRORS_ONLY: Slo = {
  schemaVersion: 1,
  name: 'errors-only',
  classes: { llm: { errorRate: 0.05 }, image: { errorRate: 0.05 } },
};

function config(
  api: TargetApi,
  workload: Record<string, unknown> = {},
  load: Partial<LoadConfig> = {},
  slo: Slo = ERRORS_ONLY,
): RunConfig {
  return {
    schemaVersion: RUN_CONFIG_SCHEMA_VERSION,
    scenario: 's',
    runId: 'r',
    runDir: '/tmp/r',
    target: { url: 'http://h/', api, model: 'm', managed: false, readyPath: '/ready' },
    load: { ...LOAD, ...load },
    sloPath: null,
    slo,
    workload,
    workloadFile: { path: '/tmp/r/workload.jsonl', sha256: 'x', count: 1, source: 'synthetic' },
  };
}

function fakeClock(): Clock & { slept: number[]; now: () => number } {
  let now = 1_000_000;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleepMs(ms) {
      slept.push(ms);
      now += ms;
    },
    nowMs: () => now,
  };
}

function storeFor(plan: Plan, api: TargetApi = 'reference', atMs?: (i: number) => number): WorkloadStore {
  const phases = phaseBlocks(plan);
  const count = phases.reduce((a, b) => a + b.count, 0);
  return {
    count,
    header: { genload: 'workload', version: 1, api, source: 'synthetic', count, phases, trace: atMs !== undefined },
    atMs: (i) => atMs?.(i),
    classOf: () => 'llm',
  };
}

function recordingClient(
  fail?: (index: number) => SendFailure | undefined,
): RequestClient & { sent: Array<[number, string]>; lags: Array<number | undefined> } {
  const sent: Array<[number, string]> = [];
  const lags: Array<number | undefined> = [];
  return {
    sent,
    lags,
    send(index, stage, startLagMs) {
      sent.push([index, stage]);
      lags.push(startLagMs);
      return fail?.(index);
    },
  };
}

test('workloadProblems: another API, a missing phase block and a block outside the file are named', () => {
  const plan = steadyPlan({ load: LOAD, workload: withWorkloadDefaults({}), llmShare: 1 });
  const good = storeFor(plan).header;
  assert.deepEqual(workloadProblems(good, plan, 'reference'), []);
  const problems = workloadProblems({ ...good, phases: [{ name: 'warmup', from: 0, count: 99 }] }, plan, 'openai-chat');
  assert.equal(problems.length, 3);
  assert.match(problems[0] ?? '', /built for target.api 'reference', but this run's is 'openai-chat'/);
  assert.match(problems[1] ?? '', /no block for phase measure/);
  assert.match(problems[2] ?? '', /block 0\+99 lies outside its 50 requests/);
});

test('runIteration: request k of a phase is line from + (k mod count) of its block', () => {
  const cfg = config('reference', {}, { warmupSeconds: 2, rateRps: 4, durationSeconds: 10 });
  const plan = steadyPlan({ load: cfg.load, workload: withWorkloadDefaults({}), llmShare: 1 });
  const store = storeFor(plan);
  assert.deepEqual(store.header.phases, [
    { name: 'warmup', from: 0, count: 9 },
    { name: 'measure', from: 9, count: 41 },
  ]);
  const ctx = buildRunContext(cfg, withWorkloadDefaults({}), plan, store, fakeClock());
  const client = recordingClient();
  ctx.client = client;
  for (const [scenario, iteration] of [
    ['warmup', 0],
    ['warmup', 8], // the one more iteration k6 may start at the end of a phase has its own line
    ['measure', 0],
    ['measure', 40],
    ['measure', 42],
  ] as const) {
    runIteration(
      ctx,
      { scenario, scenarioStartMs: 0, iteration },
      () => {},
      () => {},
    );
  }
  assert.deepEqual(client.sent, [
    [0, 'warmup'],
    [8, 'warmup'],
    [9, 'measure'],
    [49, 'measure'],
    [10, 'measure'],
  ]);
});

test('runIteration: compare-plan repeats each request W+M times, the first W tagged warmup', () => {
  const w = withWorkloadDefaults({ planPrompts: 2, planWarmup: 2, planMeasured: 3 });
  const cfg = config('reference', { planPrompts: 2, planWarmup: 2, planMeasured: 3 });
  const plan = comparePlan({ load: cfg.load, workload: w, llmShare: 0 });
  const clock = fakeClock();
  const ctx = buildRunContext(cfg, w, plan, storeFor(plan), clock);
  const client = recordingClient();
  ctx.client = client;
  for (let i = 0; i < 10; i++)
    runIteration(
      ctx,
      { scenario: 'compare', scenarioStartMs: 0, iteration: i },
      () => {},
      () => {},
    );
  assert.deepEqual(
    client.sent.map(([i]) => i),
    [0, 0, 0, 0, 0, 1, 1, 1, 1, 1],
  );
  assert.deepEqual(
    client.sent.map(([, s]) => s),
    ['warmup', 'warmup', 'measure', 'measure', 'measure', 'warmup', 'warmup', 'measure', 'measure', 'measure'],
  );
  assert.deepEqual(clock.slept, [], 'compare-plan never waits for an arrival');
});

test('runIteration: Poisson arrivals sleep the planned delay and hand the start lag to the one Go call of the request', () => {
  const cfg = config('reference', {}, { arrival: 'poisson', warmupSeconds: 0 });
  const plan = steadyPlan({ load: cfg.load, workload: withWorkloadDefaults({}), llmShare: 1 });
  const clock = fakeClock();
  const ctx = buildRunContext(cfg, withWorkloadDefaults({}), plan, storeFor(plan), clock);
  const client = recordingClient();
  ctx.client = client;
  const schedule = ctx.phases.get('measure')!.schedule!;
  const startMs = clock.now();
  const recorded: Array<{ metric: string; value: number; tags: Readonly<Record<string, string>> }> = [];
  // iteration 3 starts late by 25 ms on top of its planned delay (k6 started it at 3 / rate s, VU busy)
  clock.sleepMs((3 / cfg.load.rateRps) * 1000 + 25);
  runIteration(
    ctx,
    { scenario: 'measure', scenarioStartMs: startMs, iteration: 3 },
    (samples, tags) => samples.forEach((s) => recorded.push({ ...s, tags })),
    () => {},
  );
  assert.ok(Math.abs(clock.slept[1]! - schedule.delaySeconds(3) * 1000) < 1e-9, 'slept the planned delay');
  // the lag goes with the request (Go records it as genload_start_lag_ms under the stage tag only: build/xk6-genload/genload/client_test.go)
  assert.equal(client.lags.length, 1);
  assert.deepEqual(client.sent, [[3, 'measure']]);
  assert.ok(Math.abs(client.lags[0]! - 25) < 1e-6, `lag ${client.lags[0]}`);
  assert.deepEqual(recorded, [], "no second call per request: the JavaScript recorder is the probe VU's");
});

test('runIteration: a trace request waits for its own arrival time; a late one is sent at once and its lag recorded', () => {
  const cfg = config('reference', {}, { warmupSeconds: 0, maxVus: 4 });
  const at = [0, 250, 900];
  const plan = tracePlan({
    load: cfg.load,
    workload: withWorkloadDefaults({}),
    llmShare: 1,
    trace: { requests: 3, lastAtMs: 900 },
  });
  const clock = fakeClock();
  const ctx = buildRunContext(
    cfg,
    withWorkloadDefaults({}),
    plan,
    storeFor(plan, 'reference', (i) => at[i] ?? 0),
    clock,
  );
  const client = recordingClient();
  ctx.client = client;
  const recorded: number[] = [];
  const start = clock.now();
  runIteration(
    ctx,
    { scenario: 'trace', scenarioStartMs: start, iteration: 1 },
    (s) => recorded.push(s[0]?.value ?? NaN),
    () => {},
  );
  assert.deepEqual(clock.slept, [250]);
  clock.sleepMs(1000); // now 1250 ms after the start: request 2 (due at 900) is late by 350 ms
  runIteration(
    ctx,
    { scenario: 'trace', scenarioStartMs: start, iteration: 2 },
    (s) => recorded.push(s[0]?.value ?? NaN),
    () => {},
  );
  assert.deepEqual(clock.slept, [250, 1000], 'no sleep for a late request');
  assert.deepEqual(client.lags, [0, 350]);
  assert.deepEqual(recorded, []);
  assert.deepEqual(client.sent, [
    [1, 'measure'],
    [2, 'measure'],
  ]);
});

test('runIteration: failures come back from the client, logged at most 3 times; unknown phases are refused', () => {
  const cfg = config('reference', {}, { warmupSeconds: 0 });
  const plan = steadyPlan({ load: cfg.load, workload: withWorkloadDefaults({}), llmShare: 1 });
  const ctx = buildRunContext(cfg, withWorkloadDefaults({}), plan, storeFor(plan), fakeClock());
  ctx.client = recordingClient(() => ({ class: 'llm', errorClass: 'shed', error: 'status 503' }));
  const logged: string[] = [];
  for (let i = 0; i < 5; i++) {
    const out = runIteration(
      ctx,
      { scenario: 'measure', scenarioStartMs: 0, iteration: i },
      () => {},
      (l) => logged.push(l),
    );
    assert.equal(out.failure?.errorClass, 'shed');
  }
  assert.equal(logged.length, 3);
  assert.match(logged[0] ?? '', /llm request 0 failed \(shed\): status 503/);
  assert.throws(
    () => runIteration(ctx, { scenario: 'nope', scenarioStartMs: 0, iteration: 0 }, () => {}),
    /scenario: 'nope' is not a phase of this plan/,
  );
});

test('buildRunContext: arrival schedules only for constant-rate phases, per-class goodput limits', () => {
  const slo = {
    schemaVersion: 1,
    name: 'x',
    classes: { llm: { perRequest: { ttftMs: 500 } }, image: { errorRate: 0.1 } },
  } as unknown as Slo;
  const cfg = config('reference', {}, { arrival: 'poisson' }, slo);
  const plan: Plan = steadyPlan({ load: cfg.load, workload: withWorkloadDefaults({}), llmShare: 1 });
  plan.phases.push({ ...plan.phases[0]!, name: 'closed', executor: { kind: 'constant-vus', vus: 2, durationS: 5 } });
  const ctx = buildRunContext(cfg, withWorkloadDefaults({}), plan, storeFor(plan), fakeClock());
  assert.deepEqual(
    [...ctx.phases.values()].map((p) => [p.index, p.schedule !== undefined]),
    [
      [0, true],
      [1, true],
      [2, false],
    ],
  );
  assert.notEqual(
    ctx.phases.get('warmup')?.schedule?.delaySeconds(0),
    ctx.phases.get('measure')?.schedule?.delaySeconds(0),
  );
  assert.deepEqual(ctx.perRequest, { llm: { ttftMs: 500 } });
});

test('clientSpec: routes of the API with the URL, auth and accept headers; jobs; generic-json path; kserve model', () => {
  const w = withWorkloadDefaults({ timeoutSeconds: 9 });
  const ref = clientSpec(config('reference'), w, 'request', {}, 'sk-1');
  assert.deepEqual(Object.keys(ref.routes).sort(), ['image', 'llm', 'llm-stream']);
  assert.deepEqual(ref.routes['llm-stream'], {
    method: 'POST',
    url: 'http://h/v1/chat/completions',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-1', accept: 'text/event-stream' },
    timeoutMs: 9000,
    answer: 'openai-stream',
  });
  assert.equal(ref.routes.image?.answer, 'openai-images-steps');
  assert.equal(
    clientSpec(config('tgi'), w, 'request', {}, undefined).routes['llm-stream']?.url,
    'http://h/generate_stream',
  );
  assert.equal(
    clientSpec(config('kserve-v2'), w, 'request', {}, undefined).routes.llm?.url,
    'http://h/v2/models/m/infer',
  );
  assert.equal(
    clientSpec(config('generic-json'), withWorkloadDefaults({ requestPath: '/x/y' }), 'request', {}, undefined).routes
      .image?.url,
    'http://h/x/y',
  );
  const jobs = clientSpec(config('reference'), w, 'job', {}, undefined, 'dTpw');
  assert.deepEqual(jobs.routes, {});
  assert.equal(jobs.job?.submitUrl, 'http://h/v1/jobs');
  assert.equal(jobs.job?.headers['authorization'], 'Basic dTpw');
  assert.throws(() => clientSpec(config('openai-chat'), w, 'job', {}, undefined), /has no async job API/);
  assert.equal(requestHeaders(undefined)['authorization'], undefined);
  assert.deepEqual([ref.itlSamples, ref.itlFile], ['token', undefined]);
  const perRequest = clientSpec(
    config('reference'),
    withWorkloadDefaults({ itlSamples: 'request' }),
    'request',
    {},
    undefined,
  );
  assert.deepEqual([perRequest.itlSamples, perRequest.itlFile], ['request', '/tmp/r/itl.jsonl']);
});
