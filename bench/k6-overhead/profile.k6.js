// Per-iteration cost of each part of a genload iteration, measured inside k6's
// own interpreter (sobek): one k6 iteration times N calls of each part with
// Date.now(), ROUNDS times interleaved, and prints the fastest round per part
// (microseconds per call; the minimum filters out time stolen by other
// processes on a shared machine) as JSON through console.log.
// Bundled and run by profile.ts (k6 pinned to core 0, the zero-cost endpoint
// on core 1). Not a scenario: it builds the run context itself. Plain
// JavaScript so the Node-side type check (bench/**/*.ts) does not read k6 code.
//   PROFILE_URL (zero endpoint), PROFILE_N (calls per part and round), PROFILE_ROUNDS, PROFILE_PROMPTS (short | mixed)

import http from 'k6/http';
import { Counter, Rate, Trend } from 'k6/metrics';
import genload from 'k6/x/genload';
import { samplesOf } from '../../lib/k6/metrics/samples.ts';
import { closedPlan } from '../../lib/k6/plan/shapes.ts';
import { buildRunContext } from '../../lib/k6/run/context.ts';
import { runIteration } from '../../lib/k6/run/iteration.ts';
import { k6Transport, nativeRunnerFor, position, recorderFor } from '../../lib/k6/runtime/k6.ts';
import { COUNTER, RATE, TAG, TREND } from '../../lib/shared/metrics.ts';
import { RUN_CONFIG_SCHEMA_VERSION } from '../../lib/shared/run-config.ts';
import { mixSeed, seededUniform } from '../../lib/shared/stats/random.ts';
import { sampleClass, sampleWork } from '../../lib/shared/workload/sample.ts';

const url = __ENV['PROFILE_URL'] ?? 'http://127.0.0.1:1';
const n = Math.max(10, Math.min(100_000, Number(__ENV['PROFILE_N'] ?? 1000)));
const rounds = Math.max(1, Math.min(20, Number(__ENV['PROFILE_ROUNDS'] ?? 5)));
const promptSet = __ENV['PROFILE_PROMPTS'] === 'short' ? 'short' : 'mixed';

/** @type {import('../../lib/shared/run-config.ts').RunConfig} */
const config = {
  schemaVersion: RUN_CONFIG_SCHEMA_VERSION,
  scenario: 'smoke',
  runId: 'profile',
  runDir: '/tmp',
  target: { url, api: 'openai-chat', managed: false, readyPath: '/' },
  load: { rateRps: 1, maxRateRps: 2, durationSeconds: 1, warmupSeconds: 0, vus: 1, maxVus: 1, arrival: 'constant', seed: 1 },
  sloPath: null,
  slo: null,
  workload: { stream: false, maxTokens: 64, promptSet },
};
const probe = buildRunContext(config, { phases: [], abortable: false }, undefined, k6Transport);
const plan = closedPlan({ load: config.load, workload: probe.workload, llmShare: 1 }, 1);
const ctx = buildRunContext(config, plan, undefined, k6Transport);
const phaseName = plan.phases[0]?.name ?? 'measure';
const recorder = recorderFor(ctx.counted);
// the same context with the Go runner (lib/k6/run/native.ts); ctx itself runs the script's path
const nativeCtx = buildRunContext(config, plan, undefined, k6Transport);
nativeCtx.native = nativeRunnerFor(nativeCtx);
if (nativeCtx.native === undefined) throw new Error('profile: the Go runner is off for this config');

// plain k6 metrics, for the floor of one add
const plainTrend = new Trend('profile_trend', true);
const plainCounter = new Counter('profile_counter');

// The k6/http transport and the one-add-per-sample recorder genload used before
// k6/x/genload, kept here to compare both paths in one run. Creating a metric
// again with the same name and type returns the one runtime/k6.ts created.
const k6HttpTransport = {
  ...k6Transport,
  request(spec) {
    const res = http.request(spec.method, spec.url, spec.body ?? null, { headers: spec.headers, tags: spec.tags, timeout: spec.timeoutMs });
    return { status: res.status, body: typeof res.body === 'string' ? res.body : '', headers: res.headers, durationMs: res.timings.duration, errorCode: res.error_code, error: res.error };
  },
};
const jsMetrics = new Map();
for (const name of Object.values(TREND)) jsMetrics.set(name, new Trend(name, name !== TREND.outputTokensPerS));
for (const name of Object.values(COUNTER)) jsMetrics.set(name, new Counter(name));
for (const name of Object.values(RATE)) jsMetrics.set(name, new Rate(name));
function recordJs(samples, tags) {
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i];
    jsMetrics.get(s.metric).add(s.value, s.tags === undefined ? tags : { ...tags, ...s.tags });
  }
}

export const options = { scenarios: { profile: { executor: 'shared-iterations', vus: 1, iterations: 1, maxDuration: '10m' } } };

/** microseconds per call of fn over n calls (the empty loop is reported separately) */
function usPerCall(fn) {
  const t0 = Date.now();
  for (let i = 0; i < n; i++) fn(i);
  return ((Date.now() - t0) * 1000) / n;
}

export default function () {
  const tags = { [TAG.stage]: 'measure', [TAG.class]: 'llm' };
  const work = sampleWork(seededUniform(mixSeed(1, 0, 0)), ctx.workload, 'llm');
  const body = JSON.stringify({ messages: [{ role: 'user', content: work.prompt }], max_tokens: work.maxTokens, seed: work.seed, stream: false });
  const targetCtx = { baseUrl: url, model: undefined, headers: ctx.headers, tags, timeoutMs: 120_000, workload: ctx.workload, transport: k6Transport };
  const beforeCtx = { ...targetCtx, transport: k6HttpTransport };
  const outcome = ctx.target.send(work, targetCtx);
  const samples = samplesOf(outcome, undefined, ctx.counted);
  const params = { headers: { 'content-type': 'application/json' } };
  const parts = {
    'empty loop': () => 0,
    'seed + sampleClass + sampleWork': (i) => {
      const u = seededUniform(mixSeed(1, 0, i));
      return sampleWork(u, ctx.workload, sampleClass(u, 1));
    },
    'JSON.stringify(chat body)': () => JSON.stringify({ messages: [{ role: 'user', content: work.prompt }], max_tokens: work.maxTokens, seed: work.seed, stream: false }),
    'http.post, bare (same body)': () => http.post(`${url}/v1/chat/completions`, body, params),
    'http.request + tags + timeout': () => http.request('POST', `${url}/v1/chat/completions`, body, { headers: ctx.headers, tags, timeout: 120_000 }),
    'k6/http transport .request (before)': () => k6HttpTransport.request({ method: 'POST', url: `${url}/v1/chat/completions`, body, headers: ctx.headers, tags, timeoutMs: 120_000 }),
    'k6Transport.request (k6/x/genload)': () => k6Transport.request({ method: 'POST', url: `${url}/v1/chat/completions`, body, headers: ctx.headers, tags, timeoutMs: 120_000 }),
    'genload.request, bare (same body)': () => genload.request({ method: 'POST', url: `${url}/v1/chat/completions`, body, headers: params.headers }),
    'target.send via k6/http (before)': () => ctx.target.send(work, beforeCtx),
    'target.send (openai-chat)': () => ctx.target.send(work, targetCtx),
    samplesOf: () => samplesOf(outcome, undefined, ctx.counted),
    [`record, one k6/metrics add per sample (before; ${samples.length} samples)`]: () => recordJs(samples, tags),
    [`record (genload.record, ${samples.length} samples)`]: () => genload.record(samples, tags),
    'samplesOf + record in Go (outcome recorder)': () => recorder.outcome(outcome, undefined, tags),
    'Trend.add, no tags': (i) => plainTrend.add(i),
    'Trend.add, 2 tags': (i) => plainTrend.add(i, tags),
    'Counter.add, 3 tags': () => plainCounter.add(1, { ...tags, metric_name: 'x' }),
    'position() (exec.scenario)': () => position(),
    'runIteration, samplesOf in JS + genload.record': (i) => runIteration(ctx, { scenario: phaseName, scenarioStartMs: Date.now(), iteration: i }, (s, t) => genload.record(s, t)),
    'runIteration, script path (target.send + Go outcome recorder)': (i) => runIteration(ctx, { scenario: phaseName, scenarioStartMs: Date.now(), iteration: i }, recorder),
    'runner.work (sampling in Go, as a JS object)': (i) => nativeCtx.native.work(0, i, 1),
    'runner.next (sample, body, request, record: all in Go)': (i) => nativeCtx.native.next(0, i, 1, 'measure'),
    'runIteration with the Go runner': (i) => runIteration(nativeCtx, { scenario: phaseName, scenarioStartMs: Date.now(), iteration: i }, recorder),
  };
  const best = {};
  for (let r = 0; r < rounds; r++) {
    for (const [name, fn] of Object.entries(parts)) best[name] = Math.min(best[name] ?? Number.POSITIVE_INFINITY, usPerCall(fn));
  }
  console.log(JSON.stringify({ profile: { n, rounds, promptSet, usPerCall: best } }));
}
