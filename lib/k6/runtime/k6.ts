// The one seam to k6's runtime: every import of `k6`, `k6/*`, `k6/x/sse` and
// `k6/x/genload` lives here. Everything else in lib/k6 is pure TypeScript, unit-tested in Node
// with fakes of the interfaces this file implements.

import { sleep } from 'k6';
import exec from 'k6/execution';
import { Counter, Rate, Trend } from 'k6/metrics';
import genload from 'k6/x/genload';
import { COUNTER, RATE, TAG, TREND, UNTIMED_TRENDS } from '../../shared/metrics.ts';
import type { RunConfig } from '../../shared/run-config.ts';
import type { ClientSpec } from '../run/client.ts';
import type { Clock, RequestClient, WorkloadStore } from '../run/context.ts';
import type { Position, Recorder } from '../run/iteration.ts';

export const k6Clock: Clock = {
  sleepMs: (ms: number) => sleep(ms / 1000),
  nowMs: () => Date.now(),
};

// Custom metrics must be created in k6's init context: module scope here is.
// k6/x/genload finds them by name in k6's registry (this file keeps no handle).
for (const name of Object.values(TREND)) new Trend(name, !UNTIMED_TRENDS.has(name));
for (const name of Object.values(COUNTER)) new Counter(name);
for (const name of Object.values(RATE)) new Rate(name);

/** The run's workload.jsonl, read and parsed once per k6 process in Go (k6/x/genload's store). Init context only. */
export function openWorkload(config: RunConfig): WorkloadStore {
  const ref = config.workloadFile;
  if (ref === undefined)
    throw new Error(
      'GENLOAD_CONFIG has no workloadFile: run scenarios through `make load SCENARIO=<name>` (genload builds the workload before k6 starts)',
    );
  return genload.workload(ref.path);
}

/** The Go client of a run: sends request i of the store, reads its answer, records its samples (init context only). */
export function clientFor(store: WorkloadStore, spec: ClientSpec, counted: ReadonlySet<string>): RequestClient {
  // store is the very object genload.workload returned (openWorkload): Go finds its requests through it
  return genload.client({
    workload: store,
    ...spec,
    metrics: { trend: TREND, counter: COUNTER, rate: RATE, tag: TAG, counted: [...counted] },
  });
}

/** Samples with base tags in one batch (the probe's and start lags; requests record their own in Go). */
export const recordSamples: Recorder = (samples, tags) => genload.record(samples, tags);

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
  current ??= Object.defineProperty({ scenario: '', iteration: 0 }, 'scenarioStartMs', {
    get: () => sc.startTime,
    enumerable: true,
  }) as Position;
  current.scenario = sc.name;
  current.iteration = sc.iterationInTest;
  return current;
}
