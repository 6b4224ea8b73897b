// The one seam to k6's runtime: every import of `k6`, `k6/*` and `k6/x/sse`
// lives here. Everything else in lib/k6 is pure TypeScript, unit-tested in Node
// with fakes of the interfaces this file implements.

import { sleep } from 'k6';
import exec from 'k6/execution';
import http from 'k6/http';
import { Counter, Rate, Trend } from 'k6/metrics';
import sse from 'k6/x/sse';
import { COUNTER, RATE, TREND } from '../../shared/metrics.ts';
import type { Sample } from '../metrics/samples.ts';
import type { HttpReply, RequestSpec, StreamEvent, StreamReply, Transport } from '../transport/types.ts';

export const k6Transport: Transport = {
  request(spec: RequestSpec): HttpReply {
    const res = http.request(spec.method, spec.url, spec.body ?? null, { headers: spec.headers, tags: spec.tags, timeout: spec.timeoutMs });
    return {
      status: res.status,
      body: typeof res.body === 'string' ? res.body : '',
      headers: res.headers,
      durationMs: res.timings.duration,
      errorCode: res.error_code,
      error: res.error,
    };
  },
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
// One map for all three kinds, so recording a sample is one lookup.
const metrics = new Map<string, Trend | Counter | Rate>();
for (const name of Object.values(TREND)) metrics.set(name, new Trend(name, name !== TREND.outputTokensPerS));
for (const name of Object.values(COUNTER)) metrics.set(name, new Counter(name));
for (const name of Object.values(RATE)) metrics.set(name, new Rate(name));

/** Adds samples with the given base tags (stage, class) merged under each sample's own tags. */
export function record(samples: readonly Sample[], tags: Readonly<Record<string, string>>): void {
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!;
    const metric = metrics.get(s.metric);
    if (metric === undefined) throw new Error(`metric: must be declared in lib/shared/metrics.ts, but '${s.metric}' is not`);
    metric.add(s.value, s.tags === undefined ? tags : { ...tags, ...s.tags });
  }
}

// exec.scenario builds a new Go-backed object on every access (about 30-50 µs in
// sobek); the object's getters read the VU's live state, so one per VU serves
// every later iteration, also after the VU moves to another scenario (checked
// with k6 v1.8.1: name, startTime and iterationInTest follow the switch).
let scenarioInfo: typeof exec.scenario | undefined;

/** Where the current iteration is: k6 scenario name, its start (epoch ms) and the iteration's index in it. */
export function position(): { scenario: string; scenarioStartMs: number; iteration: number } {
  const sc = (scenarioInfo ??= exec.scenario);
  return { scenario: sc.name, scenarioStartMs: sc.startTime, iteration: sc.iterationInTest };
}
