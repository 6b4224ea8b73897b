// Unit tests of the run wiring (context.ts, iteration.ts) through the Transport
// seam: a scripted fake clock and transport, no k6. define.ts only glues these
// to k6's runtime and is covered by the end-to-end scenario runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COUNTER, RATE, TAG, TREND } from '../../shared/metrics.ts';
import { RUN_CONFIG_SCHEMA_VERSION, type LoadConfig, type RunConfig, type TargetApi } from '../../shared/run-config.ts';
import type { Slo } from '../../shared/slo/schema.ts';
import { withWorkloadDefaults } from '../../shared/workload/defaults.ts';
import type { Sample } from '../metrics/samples.ts';
import type { Plan } from '../../shared/plan/phase.ts';
import { comparePlan, steadyPlan } from '../../shared/plan/shapes.ts';
import { targetFor } from '../targets/registry.ts';
import type { RequestSpec, Transport } from '../transport/types.ts';
import { buildRunContext, llmShareFor } from './context.ts';
import { runIteration } from './iteration.ts';

const LOAD: LoadConfig = { rateRps: 4, maxRateRps: 8, durationSeconds: 10, warmupSeconds: 2, vus: 1, maxVus: 8, arrival: 'constant', seed: 3 };

function config(api: TargetApi, workload: Record<string, unknown> = {}, load: Partial<LoadConfig> = {}, slo: Slo | null = null): RunConfig {
  return { schemaVersion: RUN_CONFIG_SCHEMA_VERSION, scenario: 's', runId: 'r', runDir: '/tmp/r', target: { url: 'http://h/', api, model: 'm', managed: false, readyPath: '/ready' }, load: { ...LOAD, ...load }, sloPath: null, slo, workload };
}

/** A transport with a fake clock: sleeps advance it, every request takes 10 ms and answers `status`. */
function fakeTransport(status = 200) {
  const sent: RequestSpec[] = [];
  const slept: number[] = [];
  let now = 1_000_000;
  const chat = JSON.stringify({ choices: [{ message: { content: 'hi' } }], usage: { prompt_tokens: 2, completion_tokens: 3 } });
  const image = JSON.stringify({ data: [{ b64_json: 'AA==' }] });
  const t: Transport = {
    request(spec) {
      sent.push(spec);
      now += 10;
      return { status, body: status === 200 ? (spec.url.endsWith('/generations') ? image : chat) : '{}', headers: {}, durationMs: 10, errorCode: status === 200 ? 0 : 1000 + status, error: status === 200 ? '' : `status ${status}` };
    },
    stream() {
      throw new Error('not streamed in these tests');
    },
    sleepMs(ms) {
      slept.push(ms);
      now += ms;
    },
    nowMs: () => now,
  };
  return { t, sent, slept, now: () => now };
}

interface Recorded {
  samples: readonly Sample[];
  tags: Readonly<Record<string, string>>;
}

function recorder() {
  const calls: Recorded[] = [];
  return { calls, record: (samples: readonly Sample[], tags: Readonly<Record<string, string>>) => void calls.push({ samples, tags }) };
}

test('llmShareFor: what the scenario wants, limited to what the API can send', () => {
  const w = withWorkloadDefaults({ classMix: 0.3 });
  const cases: Array<[TargetApi, Parameters<typeof llmShareFor>[1], Record<string, unknown>, number | RegExp]> = [
    ['reference', 'auto', {}, 1],
    ['reference', 'auto', { trafficClass: 'image' }, 0],
    ['openai-images', 'auto', {}, 0],
    ['reference', 'mixed', {}, 0.3],
    ['reference', 'any', {}, 0.3],
    ['openai-chat', 'any', {}, 1],
    ['reference', 'image', { trafficClass: 'llm' }, 0],
    ['openai-chat', 'mixed', {}, /'openai-chat' cannot send mixed traffic/],
    ['openai-images', 'llm', {}, /'openai-images' cannot send llm traffic/],
    ['openai-chat', 'auto', { trafficClass: 'image' }, /cannot send image traffic/],
  ];
  for (const [api, wanted, extra, want] of cases) {
    const run = () => llmShareFor(targetFor(api), wanted, { ...w, ...withWorkloadDefaults({ classMix: 0.3, ...extra }) });
    if (want instanceof RegExp) assert.throws(run, want, `${api} ${wanted}`);
    else assert.equal(run(), want, `${api} ${wanted} ${JSON.stringify(extra)}`);
  }
});

test('buildRunContext: arrival schedules only for constant-rate phases, per-class goodput limits, auth header', () => {
  const slo = { schemaVersion: 1, name: 'x', classes: { llm: { perRequest: { ttftMs: 500 } }, image: { errorRate: 0.1 } } } as unknown as Slo;
  const cfg = config('reference', {}, { arrival: 'poisson' }, slo);
  const plan: Plan = steadyPlan({ load: cfg.load, workload: withWorkloadDefaults({}), llmShare: 1 });
  plan.phases.push({ ...plan.phases[0]!, name: 'closed', executor: { kind: 'constant-vus', vus: 2, durationS: 5 } });
  const ctx = buildRunContext(cfg, plan, 'sk-1', fakeTransport().t);
  assert.deepEqual([...ctx.phases.keys()], ['warmup', 'measure', 'closed']);
  assert.deepEqual([...ctx.phases.values()].map((p) => [p.index, p.schedule !== undefined]), [[0, true], [1, true], [2, false]]);
  // each phase draws its own arrivals (seed + phase index)
  assert.notEqual(ctx.phases.get('warmup')?.schedule?.delaySeconds(0), ctx.phases.get('measure')?.schedule?.delaySeconds(0));
  assert.deepEqual(ctx.perRequest, { llm: { ttftMs: 500 } });
  assert.equal(ctx.headers['authorization'], 'Bearer sk-1');
  assert.equal(buildRunContext(cfg, plan, undefined, fakeTransport().t).headers['authorization'], undefined);
});

test('runIteration: compare-plan repeats each prompt W+M times, the first W tagged warmup', () => {
  const cfg = config('reference', { planPrompts: 2, planWarmup: 2, planMeasured: 3, trafficClass: 'image' });
  const plan = comparePlan({ load: cfg.load, workload: withWorkloadDefaults(cfg.workload), llmShare: 0 });
  const f = fakeTransport();
  const ctx = buildRunContext(cfg, plan, undefined, f.t);
  const r = recorder();
  for (let i = 0; i < 10; i++) runIteration(ctx, { scenario: 'compare', scenarioStartMs: 0, iteration: i }, r.record, () => {});
  const stages = r.calls.map((c) => c.tags[TAG.stage]);
  assert.deepEqual(stages, ['warmup', 'warmup', 'measure', 'measure', 'measure', 'warmup', 'warmup', 'measure', 'measure', 'measure']);
  assert.ok(r.calls.every((c) => c.tags[TAG.class] === 'image'));
  const bodies = f.sent.map((s) => s.body ?? '');
  assert.equal(new Set(bodies.slice(0, 5)).size, 1, 'prompt 0: same body every time');
  assert.equal(new Set(bodies.slice(5)).size, 1, 'prompt 1: same body every time');
  assert.notEqual(bodies[0], bodies[5]);
  assert.equal(f.sent[0]?.url, 'http://h/v1/images/generations', 'trailing slash of the target URL removed');
  assert.deepEqual(f.sent[0]?.tags, { stage: 'warmup', class: 'image' });
  assert.deepEqual(f.slept, [], 'compare-plan never waits for an arrival');
});

test('runIteration: Poisson arrivals sleep the planned delay and record the start lag', () => {
  const cfg = config('reference', { stream: false }, { arrival: 'poisson', warmupSeconds: 0 });
  const plan = steadyPlan({ load: cfg.load, workload: withWorkloadDefaults({}), llmShare: 1 });
  const f = fakeTransport();
  const ctx = buildRunContext(cfg, plan, undefined, f.t);
  const schedule = ctx.phases.get('measure')!.schedule!;
  const startMs = f.now();
  const r = recorder();
  // iteration 3 starts late by 25 ms on top of its planned delay (k6 started it at 3 / rate s, VU busy)
  const lateMs = 25;
  f.t.sleepMs((3 / cfg.load.rateRps) * 1000 + lateMs);
  runIteration(ctx, { scenario: 'measure', scenarioStartMs: startMs, iteration: 3 }, r.record, () => {});
  assert.ok(Math.abs(f.slept[1]! - schedule.delaySeconds(3) * 1000) < 1e-9, 'slept the planned delay');
  const lag = r.calls[0]!;
  assert.deepEqual(lag.samples.map((s) => s.metric), [TREND.startLagMs]);
  assert.ok(Math.abs(lag.samples[0]!.value - lateMs) < 1e-6, `lag ${lag.samples[0]!.value}`);
  assert.deepEqual(lag.tags, { stage: 'measure' }, 'lag carries no class: it is the load generator, not a request');
  const req = r.calls[1]!;
  assert.deepEqual(req.tags, { stage: 'measure', class: 'llm' });
  assert.ok(req.samples.some((s) => s.metric === TREND.e2eMs && s.value === 10));
});

test('runIteration: failures are recorded with their class, logged at most 3 times; unknown phases are refused', () => {
  const cfg = config('reference', { stream: false }, { warmupSeconds: 0 });
  const plan = steadyPlan({ load: cfg.load, workload: withWorkloadDefaults({}), llmShare: 1 });
  const ctx = buildRunContext(cfg, plan, undefined, fakeTransport(503).t);
  const r = recorder();
  const logged: string[] = [];
  for (let i = 0; i < 5; i++) {
    const out = runIteration(ctx, { scenario: 'measure', scenarioStartMs: 0, iteration: i }, r.record, (l) => logged.push(l));
    assert.equal(out?.ok, false);
  }
  assert.equal(logged.length, 3);
  assert.match(logged[0] ?? '', /llm request failed \(shed\)/);
  const metrics = r.calls.flatMap((c) => c.samples.map((s) => s.metric));
  assert.equal(metrics.filter((m) => m === COUNTER.errors).length, 5);
  const requests = r.calls.filter((c) => c.tags[TAG.class] !== undefined);
  assert.equal(requests.length, 5, 'one request record per iteration (the others are start-lag records)');
  assert.ok(requests.every((c) => c.samples.some((s) => s.metric === RATE.errorRate && s.value === 1)));
  assert.throws(() => runIteration(ctx, { scenario: 'nope', scenarioStartMs: 0, iteration: 0 }, r.record), /scenario: 'nope' is not a phase of this plan/);
});
