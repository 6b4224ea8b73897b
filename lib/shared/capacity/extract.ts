// Builds one step's measurement from k6's end-of-test summary data (what
// handleSummary receives). Pure, so it runs inside k6 (scenarios/capacity.ts
// writes step.json with it) and is unit-tested in Node on recorded data.
// The sub-metrics read here must be declared as thresholds by the scenario
// (k6 only computes tagged sub-metrics a threshold names): stepThresholds().

import type { SloCondition } from '../slo/compile.ts';
import { aggregationOf, type VerdictRecord } from '../slo/record.ts';
import { COUNTER, K6_BUILTIN, RATE, TAG, TREND, subMetricName, type TrafficClass } from '../metrics.ts';
import { STEP_SCHEMA_VERSION, type LatencySummary, type SloBreach, type StepMeasurement } from './measurement.ts';

/** Counter of successful responses that arrived inside the measurement window, whatever stage sent them (throughput). */
export const COMPLETED_IN_WINDOW = 'genload_capacity_completed';
/** Counter of iterations k6 started in the measurement phases (k6 starts rate × duration + 1 per phase). */
export const STARTED_IN_WINDOW = 'genload_capacity_started';
/** The measured stage and the two k6 scenarios (first and second half) it is split into. */
export const MEASURE_STAGE = 'measure';
export const MEASURE_HALVES = ['measure-a', 'measure-b'] as const;

/** Latencies reported per class (the SLO may bound any of them). */
const LATENCIES: Readonly<Record<TrafficClass, ReadonlyArray<keyof typeof TREND>>> = {
  llm: ['e2eMs', 'ttftMs', 'itlMs', 'tpotMs'],
  image: ['e2eMs', 'stepMs'],
};

export interface K6Metric {
  type?: string;
  values: Record<string, number>;
  thresholds?: Record<string, { ok: boolean }>;
}

export interface ExtractContext {
  offeredRps: number;
  /** closed model: the step's concurrent requests (offeredRps then holds the same number) */
  concurrency?: number;
  measureSeconds: number;
  classes: readonly TrafficClass[];
  /** sub-metric keys the SLO put thresholds on; empty: no SLO */
  /** the SLO's compiled conditions: each names its sub-metric (key), its k6 expression and its record */
  conditions: ReadonlyArray<Pick<SloCondition, 'key' | 'expression' | 'record'>>;
}

/** Report-only thresholds (always true) that make k6 compute what extract() reads beyond helper thresholds. */
export function stepThresholds(): Record<string, string[]> {
  const out: Record<string, string[]> = { [COMPLETED_IN_WINDOW]: ['count>=0'], [STARTED_IN_WINDOW]: ['count>=0'] };
  for (const half of MEASURE_HALVES) {
    out[subMetricName(TREND.e2eMs, { scenario: half })] = ['max>=0'];
    out[subMetricName(K6_BUILTIN.droppedIterations, { scenario: half })] = ['count>=0'];
  }
  return out;
}

const num = (x: number | undefined): number => (x === undefined || !Number.isFinite(x) ? 0 : x);

/** The value a condition was judged on (k6 calls p(50) med), and observed / bound for a latency bound. */
function observedFor(metric: K6Metric, record: VerdictRecord): { observed: number | null; ratio: number | null } {
  const agg = aggregationOf(record);
  const observed =
    metric.values[agg === 'p(50)' ? 'med' : agg] ?? (agg === 'p(50)' ? metric.values['p(50)'] : undefined);
  if (observed === undefined) return { observed: null, ratio: null };
  const upperLatency = record.unit === 'ms' && record.op !== '>=' && record.bound > 0;
  return { observed, ratio: upperLatency ? observed / record.bound : null };
}

export function extractStep(metrics: Readonly<Record<string, K6Metric>>, ctx: ExtractContext): StepMeasurement {
  const get = (name: string): K6Metric | undefined => metrics[name];
  const measureTags = (cls: TrafficClass) => ({ [TAG.class]: cls, [TAG.stage]: MEASURE_STAGE });

  let failed = 0;
  let judged = 0;
  let outputTokens = 0;
  let images = 0;
  const latency: Record<string, LatencySummary> = {};
  for (const cls of ctx.classes) {
    const rate = get(subMetricName(RATE.errorRate, measureTags(cls)));
    failed += num(rate?.values['passes']);
    judged += num(rate?.values['passes']) + num(rate?.values['fails']);
    outputTokens += num(get(subMetricName(COUNTER.outputTokens, measureTags(cls)))?.values['count']);
    images += num(get(subMetricName(COUNTER.images, measureTags(cls)))?.values['count']);
    for (const key of LATENCIES[cls]) {
      const t = get(subMetricName(TREND[key], measureTags(cls)));
      const count = num(t?.values['count']);
      if (t === undefined || count === 0) continue;
      latency[`${cls}.${key}`] = {
        p50Ms: num(t.values['med']),
        p95Ms: num(t.values['p(95)']),
        p99Ms: num(t.values['p(99)']),
        count,
      };
    }
  }
  const requests = num(get(subMetricName(COUNTER.requests, { [TAG.stage]: MEASURE_STAGE }))?.values['count']) || judged;
  const dropped = MEASURE_HALVES.reduce(
    (a, h) => a + num(get(subMetricName(K6_BUILTIN.droppedIterations, { scenario: h }))?.values['count']),
    0,
  );
  const halfP50 = (h: string): number | null => {
    const t = get(subMetricName(TREND.e2eMs, { scenario: h }));
    return t !== undefined && num(t.values['count']) > 0 ? num(t.values['med']) : null;
  };
  const lag = get(subMetricName(TREND.startLagMs, { [TAG.stage]: MEASURE_STAGE }));

  const sloBreaches: SloBreach[] = [];
  for (const c of ctx.conditions) {
    const metric = get(c.key);
    // k6 reports each threshold under its expression: a lookup, the condition itself is the record
    if (metric === undefined || metric.thresholds?.[c.expression]?.ok !== false) continue;
    sloBreaches.push({ metric: c.key, expression: c.expression, ...observedFor(metric, c.record) });
  }
  const measureSeconds = ctx.measureSeconds;
  const completed = num(get(COMPLETED_IN_WINDOW)?.values['count']);
  // Arrivals k6 planned in the window: what it started plus what it had to drop.
  const started = num(get(STARTED_IN_WINDOW)?.values['count']);
  const scheduled = started + dropped > 0 ? started + dropped : Math.round(ctx.offeredRps * measureSeconds);
  return {
    schemaVersion: STEP_SCHEMA_VERSION,
    offeredRps: ctx.offeredRps,
    measureSeconds,
    scheduled,
    droppedIterations: dropped,
    // open model: the share of planned arrivals the target answered in the window, on the offered rate's scale;
    // closed model: successful responses in the window per second (its throughput)
    achievedRps:
      ctx.concurrency !== undefined
        ? completed / measureSeconds
        : scheduled > 0
          ? (ctx.offeredRps * completed) / scheduled
          : 0,
    ...(ctx.concurrency === undefined ? {} : { concurrency: ctx.concurrency }),
    requests,
    errorRate: judged > 0 ? failed / judged : 0,
    latency,
    halvesP50Ms: { first: halfP50(MEASURE_HALVES[0]), second: halfP50(MEASURE_HALVES[1]) },
    startLagP95Ms: lag !== undefined && num(lag.values['count']) > 0 ? num(lag.values['p(95)']) : null,
    sloPassed: ctx.conditions.length === 0 ? null : sloBreaches.length === 0,
    sloBreaches,
    outputTokens,
    images,
  };
}
