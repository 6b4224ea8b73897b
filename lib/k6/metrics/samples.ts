// Turns one request's Outcome into the metric samples genload records: pure,
// so what is recorded (and what is not) is unit-tested without k6.
// Latency samples come from successful requests only (a fast 429 is not a
// fast answer); error counts and the goodput ratio include failures.

import { COUNTER, RATE, TAG, TREND } from '../../shared/metrics.ts';
import { BOUNDED_METRICS } from '../../shared/slo/bounds.ts';
import { goodRequest, type RequestLatencies } from '../../shared/slo/goodput.ts';
import type { PerRequestLimits, Slo } from '../../shared/slo/schema.ts';
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

/** Tags of one genload_samples count, one frozen object per Trend (recorded on many requests). */
const countTags = new Map<string, Readonly<Record<string, string>>>();
function countTagsOf(metric: string): Readonly<Record<string, string>> {
  let tags = countTags.get(metric);
  if (tags === undefined) {
    tags = Object.freeze({ [TAG.metricName]: metric });
    countTags.set(metric, tags);
  }
  return tags;
}

/**
 * The samples of one request. `counted`: the Trends whose samples are counted
 * in genload_samples (the count thresholds compileSlo pairs with each latency
 * bound; see countedTrends); undefined counts every Trend. Counting only what a
 * threshold reads saves one k6 metric add per unbounded Trend per request.
 */
export function samplesOf(o: Outcome, perRequest: PerRequestLimits | undefined, counted?: ReadonlySet<string>): Sample[] {
  const d = derived(o);
  let good = o.ok;
  if (good && perRequest !== undefined) {
    const latencies: RequestLatencies = { e2eMs: o.e2eMs };
    if (o.ttftMs !== undefined) latencies.ttftMs = o.ttftMs;
    if (d.tpotMs !== undefined) latencies.tpotMs = d.tpotMs;
    if (d.stepMs !== undefined) latencies.stepMs = d.stepMs;
    good = goodRequest(true, latencies, perRequest);
  }
  const out: Sample[] = [
    { metric: COUNTER.requests, value: 1 },
    { metric: RATE.errorRate, value: o.ok ? 0 : 1 },
    { metric: RATE.goodputRatio, value: good ? 1 : 0 },
  ];
  if (good) out.push({ metric: COUNTER.goodRequests, value: 1 });
  if (!o.ok) {
    out.push({ metric: COUNTER.errors, value: 1, tags: { [TAG.errorClass]: o.errorClass ?? 'protocol' } });
    return out;
  }
  const trend = (metric: string, value: number | undefined): void => {
    if (value === undefined || !Number.isFinite(value)) return;
    out.push({ metric, value });
    if (counted === undefined || counted.has(metric)) out.push({ metric: COUNTER.samples, value: 1, tags: countTagsOf(metric) });
  };
  trend(TREND.e2eMs, o.e2eMs);
  trend(TREND.ttftMs, o.ttftMs);
  if (o.itlMs !== undefined && o.itlMs.length > 0) {
    for (const gap of o.itlMs) out.push({ metric: TREND.itlMs, value: gap });
    if (counted === undefined || counted.has(TREND.itlMs)) out.push({ metric: COUNTER.samples, value: o.itlMs.length, tags: countTagsOf(TREND.itlMs) });
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

/**
 * Trends whose samples need counting for this SLO: those it bounds for some
 * class (compileSlo pairs each bound with a genload_samples{metric_name} count
 * threshold, so "no samples" fails instead of passing).
 */
export function countedTrends(slo: Slo): ReadonlySet<string> {
  const out = new Set<string>();
  for (const rules of Object.values(slo.classes)) {
    if (rules === undefined) continue;
    for (const metric of BOUNDED_METRICS) if (rules[metric] !== undefined) out.add(TREND[metric]);
  }
  return out;
}
