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
const trends = new Map<string, Trend>();
const counters = new Map<string, Counter>();
const rates = new Map<string, Rate>();
for (const name of Object.values(TREND)) trends.set(name, new Trend(name, name !== TREND.outputTokensPerS));
for (const name of Object.values(COUNTER)) counters.set(name, new Counter(name));
for (const name of Object.values(RATE)) rates.set(name, new Rate(name));

/** Adds samples with the given base tags (stage, class) merged under each sample's own tags. */
export function record(samples: readonly Sample[], tags: Readonly<Record<string, string>>): void {
  for (const s of samples) {
    const t = s.tags === undefined ? tags : { ...tags, ...s.tags };
    const metric = trends.get(s.metric) ?? counters.get(s.metric) ?? rates.get(s.metric);
    if (metric === undefined) throw new Error(`metric: must be declared in lib/shared/metrics.ts, but '${s.metric}' is not`);
    metric.add(s.value, t);
  }
}

/** Where the current iteration is: k6 scenario name, its start (epoch ms) and the iteration's index in it. */
export function position(): { scenario: string; scenarioStartMs: number; iteration: number; vu: number } {
  return { scenario: exec.scenario.name, scenarioStartMs: exec.scenario.startTime, iteration: exec.scenario.iterationInTest, vu: exec.vu.idInTest };
}
