// Every scenario, in a short mode, with the real k6 against the reference
// server's sim engine: exit codes, summary files, and metrics that make sense
// (TTFT below e2e, per-step × steps close to denoise time, tokens counted equal
// to the server's own count). One server for the file; smoke also runs through
// the CLI. Runs in about two minutes on 2 cores.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleScenarios } from '../../lib/cli/bundle/bundle.ts';
import { resolveK6 } from '../../lib/cli/k6/provision.ts';
import { runProcess } from './harness.ts';
import { runScenario, type ScenarioRun } from './direct-run.ts';
import { startManagedServer, type ManagedServer } from '../../lib/cli/run/managed-server.ts';
import { TREND } from '../../lib/shared/metrics.ts';
import type { LoadConfig, TargetApi } from '../../lib/shared/run-config.ts';
import type { Summary } from '../../lib/shared/summary.ts';

const work = mkdtempSync(join(tmpdir(), 'genload-e2e-'));
let server: ManagedServer;
let k6Path: string;

before(async () => {
  server = await startManagedServer({ engine: 'sim', logPath: join(work, 'server.log') });
  k6Path = (await resolveK6({ log: () => {} })).path;
  await bundleScenarios();
});
after(async () => {
  await server?.stop(5000);
  rmSync(work, { recursive: true, force: true });
});

const LOAD: LoadConfig = {
  rateRps: 4,
  maxRateRps: 8,
  durationSeconds: 3,
  warmupSeconds: 1,
  vus: 2,
  maxVus: 32,
  arrival: 'constant',
  seed: 1,
};
const WORKLOAD = { promptSet: 'short', maxTokens: 16, steps: 4, sizePx: 64 };

type Run = ScenarioRun;

let runCount = 0;
async function runK6(
  scenario: string,
  opts: { load?: Partial<LoadConfig>; workload?: Record<string, unknown>; slo?: unknown; api?: TargetApi } = {},
): Promise<Run> {
  const r = await runScenario({
    k6Path,
    targetUrl: server.url,
    runDir: join(work, `${++runCount}-${scenario}`),
    scenario,
    load: { ...LOAD, ...opts.load },
    workload: { ...WORKLOAD, ...opts.workload },
    slo: opts.slo,
    ...(opts.api === undefined ? {} : { api: opts.api }),
    env: { GENLOAD_API_KEY: 'sk-e2e-secret' },
  });
  const text =
    readFileSync(join(r.runDir, 'summary.json'), 'utf8') + readFileSync(join(r.runDir, 'summary.txt'), 'utf8');
  assert.ok(!text.includes('sk-e2e-secret'), 'the API key never reaches an output');
  return r;
}

async function serverCounter(name: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) if (line.startsWith(name)) sum += Number(line.split(' ').pop());
  return sum;
}

/** k6's arrival-rate executors may start one more iteration exactly at the end of the duration */
function assertAbout(actual: number, expected: number, what: string): void {
  assert.ok(
    actual === expected || actual === expected + 1,
    `${what}: ${actual} requests, expected ${expected} (or one more)`,
  );
}

const stage = (s: Summary, name: string) => {
  const st = s.stages.find((x) => x.stage === name);
  assert.ok(st, `stage ${name} in ${s.stages.map((x) => x.stage).join(', ')}`);
  return st;
};

test('smoke through the CLI: exit 0, summary files, both classes', async () => {
  const r = await runProcess(
    process.execPath,
    [
      '--import',
      'tsx',
      'lib/cli/main.ts',
      'load',
      '--scenario',
      'smoke',
      '--target',
      server.url,
      '--duration',
      '2',
      '--results',
      join(work, 'results'),
      '--name',
      'cli-smoke',
      '--slo',
      'ci-smoke',
      '--max-tokens',
      '16',
      '--prompts',
      'short',
      '--steps',
      '4',
      '--size',
      '64',
    ],
    { timeoutMs: 90_000 },
  );
  assert.equal(r.code, 0, r.stderr.slice(-3000));
  const m = /results in (\S+)/.exec(r.stderr);
  assert.ok(m?.[1], r.stderr);
  const summary = JSON.parse(readFileSync(join(m[1], 'summary.json'), 'utf8')) as Summary;
  assert.equal(summary.schemaVersion, 1);
  assert.equal(summary.slo.name, 'ci-smoke');
  assert.ok(summary.slo.passed && summary.validity.valid);
  const st = stage(summary, 'measure');
  assert.ok(st.classes.llm && st.classes.image, 'smoke sends both classes to the reference server');
});

test('a ramp too short for its SLO is refused before any load (exit 2, the stage named)', async () => {
  // 10 s in 5 steps: the first step (1 rps for 2 s) cannot reach interactive-chat's minRequests 10
  const before = await serverCounter('genload_e2e_request_latency_seconds_count');
  const r = await runProcess(
    process.execPath,
    [
      '--import',
      'tsx',
      'lib/cli/main.ts',
      'load',
      '--scenario',
      'ramp',
      '--target',
      server.url,
      '--duration',
      '10',
      '--warmup',
      '0',
      '--results',
      join(work, 'results'),
      '--name',
      'too-short',
    ],
    { timeoutMs: 90_000 },
  );
  assert.equal(r.code, 2, r.stderr.slice(-3000));
  assert.match(
    r.stderr,
    /invalid configuration, no load was sent: stage step-01: 1 rps for 2 s starts at most 3 llm requests, under the SLO's minRequests 10 for llm/,
  );
  assert.equal(
    await serverCounter('genload_e2e_request_latency_seconds_count'),
    before,
    'no request reached the server',
  );
  const m = /results in (\S+)/.exec(r.stderr);
  assert.ok(m?.[1], r.stderr);
  assert.equal(
    (JSON.parse(readFileSync(join(m[1], 'run.json'), 'utf8')) as { verdict: string }).verdict,
    'config-invalid',
  );
});

test('llm-stream: TTFT below e2e, ITL and TPOT present, tokens counted equal the server count', async () => {
  const before = await serverCounter('genload_generation_tokens_total');
  const r = await runK6('llm-stream', {
    slo: {
      schemaVersion: 1,
      name: 't',
      classes: { llm: { ttftMs: { p95: 5000 }, itlMs: { p95: 1000 }, errorRate: 0 } },
    },
  });
  assert.equal(r.code, 0, r.stdout + r.stderr.slice(-2000));
  const generated = (await serverCounter('genload_generation_tokens_total')) - before;
  const llm = stage(r.summary, 'measure').classes.llm;
  assert.ok(llm);
  const lat = llm.latency;
  assert.ok(lat[TREND.ttftMs]!.p50 < lat[TREND.e2eMs]!.p50, 'ttft < e2e');
  assert.ok(lat[TREND.itlMs]!.count > 0 && lat[TREND.tpotMs]!.count > 0);
  assert.ok(lat[TREND.serverQueueMs] !== undefined && lat[TREND.serverInferenceMs] !== undefined);
  const counted = r.summary.stages.reduce((a, s) => a + (s.classes.llm?.outputTokens ?? 0), 0);
  assert.equal(counted, generated, 'client token total = server generation_tokens_total');
  assertAbout(llm.requests, 12, '4 rps × 3 s');
  assert.ok(r.summary.validity.valid, r.summary.validity.reasons.join('; '));
});

test("smoke, not streamed: k6/x/genload's client counts the tokens the server counts, for both classes", async () => {
  const generatedBefore = await serverCounter('genload_generation_tokens_total');
  const promptBefore = await serverCounter('genload_prompt_tokens_total');
  const r = await runK6('smoke', { workload: { stream: false, promptSet: 'mixed' }, load: { warmupSeconds: 0 } });
  assert.equal(r.code, 0, r.stdout + r.stderr.slice(-2000));
  const generated = (await serverCounter('genload_generation_tokens_total')) - generatedBefore;
  const prompt = (await serverCounter('genload_prompt_tokens_total')) - promptBefore;
  const llm = stage(r.summary, 'measure').classes.llm;
  const img = stage(r.summary, 'measure').classes.image;
  assert.ok(llm && img && llm.requests > 0 && img.requests > 0, 'both classes');
  assert.equal(llm.errorRate, 0);
  assert.equal(llm.outputTokens, generated, 'client token total = server generation_tokens_total');
  assert.equal(llm.promptTokens, prompt, 'client prompt tokens = server prompt_tokens_total');
  const l = llm.latency;
  assert.equal(l[TREND.e2eMs]!.count, llm.requests);
  assert.ok(l[TREND.e2eMs]!.p50 >= l[TREND.serverTotalMs]!.p50);
  assert.ok(
    l[TREND.clientOverheadMs]!.p50 >= 0 && l[TREND.clientOverheadMs]!.p50 < 20,
    `client overhead p50 ${l[TREND.clientOverheadMs]!.p50} ms`,
  );
  assert.ok(
    l[TREND.outputTokensPerS]!.count === llm.requests && l[TREND.ttftMs] === undefined,
    'not streamed: no TTFT',
  );
});

test('diffusion: per-step × steps ≈ denoise, e2e above server total, small client overhead', async () => {
  const r = await runK6('diffusion', {
    slo: { schemaVersion: 1, name: 'd', classes: { image: { e2eMs: { p95: 5000 }, stepMs: { p95: 1000 } } } },
  });
  assert.equal(r.code, 0, r.stdout + r.stderr.slice(-2000));
  const img = stage(r.summary, 'measure').classes.image;
  assert.ok(img);
  const l = img.latency;
  const denoise = l[TREND.serverDenoiseMs]!.avg;
  assert.ok(
    Math.abs(l[TREND.stepMs]!.avg * 4 - denoise) / denoise < 0.05,
    `step ${l[TREND.stepMs]!.avg} × 4 vs denoise ${denoise}`,
  );
  assert.ok(l[TREND.e2eMs]!.p50 >= l[TREND.serverTotalMs]!.p50);
  assert.ok(l[TREND.clientOverheadMs]!.p50 < 20, `client overhead p50 ${l[TREND.clientOverheadMs]!.p50} ms`);
  assert.equal(img.images, img.requests);
});

test('mixed: both classes judged separately, poisson arrivals keep the rate', async () => {
  const r = await runK6('mixed', {
    load: { arrival: 'poisson', rateRps: 6 },
    slo: { schemaVersion: 1, name: 'm', classes: { llm: { e2eMs: { p95: 5000 } }, image: { e2eMs: { p95: 5000 } } } },
  });
  assert.equal(r.code, 0, r.stdout + r.stderr.slice(-2000));
  const st = stage(r.summary, 'measure');
  assert.ok(st.classes.llm && st.classes.image);
  assertAbout(st.requests, 18, '6 rps × 3 s');
  assert.ok(new Set(r.summary.slo.verdicts.map((v) => v.class)).size === 2);
});

test('ramp stops on an SLO breach and reports the highest passing rate', async () => {
  // sim image ≈ 4 steps × 20 ms; a 1 ms e2e bound must break at the first step
  const r = await runK6('ramp', {
    api: 'openai-images',
    load: { durationSeconds: 30, warmupSeconds: 0 },
    slo: {
      schemaVersion: 1,
      name: 'tight',
      classes: { image: { e2eMs: { p95: 1 } } },
      abort: { onFail: true, delaySeconds: 1 },
    },
  });
  assert.equal(r.code, 99, r.stderr.slice(-2000));
  assert.ok(r.summary.slo.aborted && !r.summary.slo.passed);
  assert.equal(r.summary.slo.highestPassingRps, undefined);
  assert.ok(r.summary.durationMs < 20_000, `aborted early, ran ${r.summary.durationMs} ms`);
  const failed = r.summary.slo.verdicts.filter((v) => !v.ok);
  assert.ok(
    failed.some((v) => v.stage === 'step-01' && v.notReached === undefined),
    'the breach at step-01 is a breach',
  );
  assert.ok(
    failed.filter((v) => v.stage === 'step-05').every((v) => v.notReached === true) &&
      failed.some((v) => v.stage === 'step-05'),
    'steps after the abort are not reached',
  );
  const easy = await runK6('ramp', {
    api: 'openai-images',
    load: { durationSeconds: 5, warmupSeconds: 0 },
    slo: {
      schemaVersion: 1,
      name: 'easy',
      classes: { image: { e2eMs: { p95: 5000 } } },
      abort: { onFail: true, delaySeconds: 1 },
    },
  });
  assert.equal(easy.code, 0, easy.stderr.slice(-2000));
  assert.equal(easy.summary.slo.highestPassingRps, 8);
  assert.deepEqual(
    easy.summary.stages.map((s) => s.offeredRps),
    [4, 5, 6, 7, 8],
  );
});

test('concurrency: closed-model steps judged at their end, stopping at the first breach; the highest passing concurrency and its throughput', async () => {
  // sim: 4 slots, a request holds one for 20 ms + 16 tokens × 10 ms = 180 ms; at 8 concurrent requests half of them queue (≈ 360 ms)
  const r = await runK6('concurrency', {
    api: 'openai-completions',
    load: { durationSeconds: 12, warmupSeconds: 0, concurrency: [1, 2, 4, 8] },
    workload: { stream: false },
    slo: {
      schemaVersion: 1,
      name: 'slots',
      classes: { llm: { e2eMs: { p95: 280 } } },
      abort: { onFail: true, delaySeconds: 1 },
    },
  });
  assert.equal(r.code, 99, r.stderr.slice(-2000));
  const steps = r.summary.stages.filter((s) => s.judged);
  assert.deepEqual(
    steps.map((s) => s.concurrency),
    [1, 2, 4, 8],
  );
  assert.equal(r.summary.slo.highestPassingConcurrency, 4);
  const at4 = stage(r.summary, 'step-03');
  assert.equal(r.summary.slo.throughputAtHighestRps, at4.achievedRps);
  // 4 slots busy back to back: about 4 / 0.18 s = 22 requests/s
  assert.ok(at4.achievedRps > 15 && at4.achievedRps < 25, `throughput at 4: ${at4.achievedRps} rps`);
  assert.ok((at4.classes.llm?.outputTokensPerS ?? 0) > 15 * 16 * 0.9, 'tokens/s per step');
  assert.ok(
    r.summary.slo.verdicts.some((v) => v.stage === 'step-04' && !v.ok && v.notReached === undefined),
    'step-04 (8 concurrent) broke the SLO',
  );
  assert.ok(stage(r.summary, 'step-01').requests > 10, 'step-01 judged on all its samples');
});

test('spike, stress, soak and breakpoint run their stages', async () => {
  const expect: Record<string, string[]> = {
    spike: ['warmup', 'baseline', 'spike', 'recovery'],
    stress: ['warmup', 'ramp-up', 'hold', 'ramp-down'],
    soak: ['warmup', 'soak-01', 'soak-02', 'soak-03'],
    breakpoint: ['warmup', ...Array.from({ length: 10 }, (_, i) => `bp-${String(i + 1).padStart(2, '0')}`)],
  };
  for (const [scenario, stages] of Object.entries(expect)) {
    const r = await runK6(scenario, { load: { durationSeconds: scenario === 'breakpoint' ? 5 : 3 } });
    assert.equal(r.code, 0, `${scenario}: ${r.stderr.slice(-2000)}`);
    assert.deepEqual(
      r.summary.stages.map((s) => s.stage),
      stages,
      scenario,
    );
    const judged = r.summary.stages.filter((s) => s.judged);
    assert.ok(
      judged.every((s) => s.requests > 0),
      `${scenario}: every judged stage measured something`,
    );
  }
});

test('async-jobs: e2e covers submit to finished, including server queue', async () => {
  const r = await runK6('async-jobs', { workload: { trafficClass: 'image', pollIntervalMs: 20 } });
  assert.equal(r.code, 0, r.stderr.slice(-2000));
  const img = stage(r.summary, 'measure').classes.image;
  assert.ok(img, 'image class measured');
  assertAbout(img.requests, 12, '4 rps × 3 s');
  assert.deepEqual([img.errorRate, img.errors], [0, {}]);
  assert.ok(img.latency[TREND.e2eMs]!.p50 >= img.latency[TREND.serverTotalMs]!.p50);
});

test('compare-plan: N prompts × (W warm-up + M measured), warm-up kept apart', async () => {
  const r = await runK6('compare-plan', {
    workload: { planPrompts: 2, planWarmup: 1, planMeasured: 3, trafficClass: 'image' },
  });
  assert.equal(r.code, 0, r.stderr.slice(-2000));
  assert.equal(stage(r.summary, 'warmup').requests, 2);
  const m = stage(r.summary, 'measure').classes.image;
  assert.ok(m && m.requests === 6);
  const e2e = m.latency[TREND.e2eMs]!;
  assert.ok(e2e.avg > 0 && e2e.p50 <= e2e.p95 && e2e.p95 <= e2e.p99);
});

test('other APIs against the reference server: openai-completions without streaming', async () => {
  const r = await runK6('llm-stream', { api: 'openai-completions', load: { durationSeconds: 2, warmupSeconds: 0 } });
  assert.equal(r.code, 0, r.stderr.slice(-2000));
  const llm = stage(r.summary, 'measure').classes.llm;
  assert.ok(llm && llm.latency[TREND.ttftMs] !== undefined, 'llm-stream forces streaming on');
});
