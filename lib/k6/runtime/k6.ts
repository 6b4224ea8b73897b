// The one seam to k6's runtime: every import of `k6`, `k6/*`, `k6/x/sse` and
// `k6/x/genload` lives here. Everything else in lib/k6 is pure TypeScript, unit-tested in Node
// with fakes of the interfaces this file implements.

import { sleep } from 'k6';
import exec from 'k6/execution';
import { Counter, Rate, Trend } from 'k6/metrics';
import genload from 'k6/x/genload';
import sse from 'k6/x/sse';
import { COUNTER, RATE, TAG, TREND } from '../../shared/metrics.ts';
import type { RunContext } from '../run/context.ts';
import type { Position, Recorder } from '../run/iteration.ts';
import { runnerSpec, verifyRunner, type NativeRunner } from '../run/native.ts';
import { warn } from './log.ts';
import type { HttpReply, RequestSpec, StreamEvent, StreamReply, Transport } from '../transport/types.ts';

export const k6Transport: Transport = {
  // k6/x/genload makes the request k6/http would (same metrics, tags, errors)
  // and hands back a plain object with Server-Timing (and, when asked, the
  // OpenAI usage counts) already read in Go (bench/k6-overhead/README.md)
  request: (spec: RequestSpec): HttpReply => genload.request(spec),
  stream(spec: RequestSpec, onEvent: (e: StreamEvent) => void): StreamReply {
    const res = sse.open(spec.url, { method: spec.method, body: spec.body ?? '', headers: spec.headers, tags: spec.tags, timeout: spec.timeoutMs }, (client) => {
      client.on('event', (e) => onEvent({ name: e.name, data: e.data, ms: e.ms }));
    });
    return { status: res.status, headers: res.headers, totalMs: res.timings.totalMs, errorCode: res.error_code, error: res.error };
  },
  sleepMs: (ms: number) => sleep(ms / 1000),
  nowMs: () => Date.now(),
};

// Custom metrics must be created in k6's init context: module scope here is.
// k6/x/genload finds them by name in k6's registry (this file keeps no handle).
for (const name of Object.values(TREND)) new Trend(name, name !== TREND.outputTokensPerS);
for (const name of Object.values(COUNTER)) new Counter(name);
for (const name of Object.values(RATE)) new Rate(name);

/**
 * The recorder of a run, all in Go: samples with base tags (stage, class)
 * merged under each sample's own tags, pushed as one batch per call instead of
 * one interpreted add of 2-5 µs per sample; and whole Outcomes recorded with
 * samplesOf's rules (build/xk6-sse/outcome.go), about 20 µs less per request.
 * Init context only; `counted` must be the run context's counted Trends.
 */
export function recorderFor(counted: ReadonlySet<string>): Recorder {
  const outcomes = genload.outcomeRecorder({ trend: TREND, counter: COUNTER, rate: RATE, tag: TAG, counted: [...counted] });
  const rec: Recorder = (samples, tags) => genload.record(samples, tags);
  // the Go method itself (bound in Go, no `this`): no interpreted wrapper call per request
  rec.outcome = outcomes.record;
  return rec;
}

/**
 * The run's request path in Go (k6/x/genload's runner, lib/k6/run/native.ts),
 * for the classes whose request the target makes as a template and whose
 * answer Go reads; undefined when there is none, or (with a warning) when the
 * runner's sampling or bodies differ from this script's. Init context only.
 */
export function nativeRunnerFor(ctx: RunContext): NativeRunner | undefined {
  // a k6 built from an older extension (K6_BIN) has no runner: the script's path then sends everything
  if (typeof genload.runner !== 'function') return undefined;
  const spec = runnerSpec(ctx);
  if (spec.recipes.llm === undefined && spec.recipes.image === undefined) return undefined;
  const runner = genload.runner({ ...spec, metrics: { trend: TREND, counter: COUNTER, rate: RATE, tag: TAG, counted: [...ctx.counted] } });
  const problems = verifyRunner(ctx, runner, spec.recipes);
  if (problems.length > 0) {
    warn(`genload: the request path in Go is off for this run, the script sends every request (${problems.length} problem(s); first: ${problems[0] ?? ''})`);
    return undefined;
  }
  return runner;
}

// exec.scenario builds a new Go-backed object on every access (about 30-50 µs in
// sobek); the object's getters read the VU's live state, so one per VU serves
// every later iteration, also after the VU moves to another scenario (checked
// with k6 v1.8.1: name, startTime and iterationInTest follow the switch).
let scenarioInfo: typeof exec.scenario | undefined;

// One position object per VU, refilled each iteration (runIteration does not
// keep it); its scenarioStartMs is a getter, read only by iterations that
// need it (arrival schedules, windowed stages), since each read calls into Go.
let current: Position | undefined;

/** Where the current iteration is: k6 scenario name, its start (epoch ms) and the iteration's index in it. */
export function position(): Position {
  const sc = (scenarioInfo ??= exec.scenario);
  current ??= Object.defineProperty({ scenario: '', iteration: 0 }, 'scenarioStartMs', { get: () => sc.startTime, enumerable: true }) as Position;
  current.scenario = sc.name;
  current.iteration = sc.iterationInTest;
  return current;
}
