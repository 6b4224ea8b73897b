// Turns one request's Outcome into the metric samples genload records: pure,
// so what is recorded (and what is not) is unit-tested without k6.
// Latency samples come from successful requests only (a fast 429 is not a
// fast answer); error counts and the goodput ratio include failures.

import { COUNTER, RATE, TAG, TREND } from '../../shared/metrics.ts';
import { goodRequest } from '../../shared/slo/goodput.ts';
import type { PerRequestLimits } from '../../shared/slo/schema.ts';
import { inferenceMs } from '../server-timing/parse.ts';
import type { Outcome } from '../targets/types.ts';

export interface Sample {
  metric: string;
  value: number;
  /** extra tags beyond stage and class */
  tags?: Record<string, string>;
}

/** Per-request derived latencies (TPOT, per-step), shared by recording and goodput. */
export function derived(o: Outcome): { tpotMs?: number; stepMs?: number } {
  const out: { tpotMs?: number; stepMs?: number } = {};
  if (o.ttftMs !== undefined && o.outputTokens !== undefined && o.outputTokens > 1) out.tpotMs = (o.e2eMs - o.ttftMs) / (o.outputTokens - 1);
  if (o.server.stepMs !== undefined) out.stepMs = o.server.stepMs;
  else if (o.steps !== undefined && o.steps > 0) out.stepMs = o.e2eMs / o.steps;
  return out;
}

export function samplesOf(o: Outcome, perRequest: PerRequestLimits | undefined): Sample[] {
  const out: Sample[] = [{ metric: COUNTER.requests, value: 1 }, { metric: RATE.errorRate, value: o.ok ? 0 : 1 }];
  const d = derived(o);
  const good = goodRequest(o.ok, { e2eMs: o.e2eMs, ...(o.ttftMs === undefined ? {} : { ttftMs: o.ttftMs }), ...d }, perRequest);
  out.push({ metric: RATE.goodputRatio, value: good ? 1 : 0 });
  if (good) out.push({ metric: COUNTER.goodRequests, value: 1 });
  if (!o.ok) {
    out.push({ metric: COUNTER.errors, value: 1, tags: { [TAG.errorClass]: o.errorClass ?? 'protocol' } });
    return out;
  }
  const trend = (metric: string, value: number | undefined): void => {
    if (value === undefined || !Number.isFinite(value)) return;
    out.push({ metric, value });
    out.push({ metric: COUNTER.samples, value: 1, tags: { [TAG.metricName]: metric } });
  };
  trend(TREND.e2eMs, o.e2eMs);
  trend(TREND.ttftMs, o.ttftMs);
  if (o.itlMs !== undefined && o.itlMs.length > 0) {
    for (const gap of o.itlMs) out.push({ metric: TREND.itlMs, value: gap });
    out.push({ metric: COUNTER.samples, value: o.itlMs.length, tags: { [TAG.metricName]: TREND.itlMs } });
  }
  trend(TREND.tpotMs, d.tpotMs);
  if (o.outputTokens !== undefined) {
    out.push({ metric: COUNTER.outputTokens, value: o.outputTokens });
    if (o.e2eMs > 0 && o.outputTokens > 0) trend(TREND.outputTokensPerS, o.outputTokens / (o.e2eMs / 1000));
  }
  if (o.promptTokens !== undefined) out.push({ metric: COUNTER.promptTokens, value: o.promptTokens });
  if (o.images !== undefined) out.push({ metric: COUNTER.images, value: o.images });
  trend(TREND.stepMs, d.stepMs);
  trend(TREND.serverQueueMs, o.server.queueMs);
  trend(TREND.serverInferenceMs, inferenceMs(o.server));
  trend(TREND.serverDenoiseMs, o.server.denoiseMs);
  trend(TREND.serverTotalMs, o.server.totalMs);
  if (o.server.totalMs !== undefined) trend(TREND.clientOverheadMs, o.e2eMs - o.server.totalMs);
  return out;
}
