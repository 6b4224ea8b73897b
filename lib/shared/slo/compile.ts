// Compiles an SLO into k6 thresholds for one run: each judged stage × class gets
// its latency bounds, error-rate and goodput limits, plus count thresholds so a
// metric that got no samples fails instead of silently passing (k6 passes a
// threshold whose metric is empty). Pure: no zod, no k6.

import { COUNTER, RATE, TAG, TREND, subMetricName, type TrafficClass } from '../metrics.ts';
import { classRecords, recordMeaning, thresholdExpression, type VerdictRecord } from './record.ts';
import type { ClassSlo, Slo } from './schema.ts';

/** k6's threshold object form (k6/options Threshold). */
export interface K6Threshold {
  threshold: string;
  abortOnFail?: boolean;
  delayAbortEval?: string;
}

/** One SLO condition as k6 sees it, kept so the summary can print verdicts by meaning. */
export interface SloCondition {
  /** sub-metric name the threshold is declared on */
  key: string;
  /** k6 threshold expression, e.g. p(95)<500 */
  expression: string;
  stage: string;
  class: TrafficClass;
  /** what it checks, e.g. "ttftMs p95 < 500 ms" */
  meaning: string;
  /** the condition as data: the expression and the meaning are derived from it */
  record: VerdictRecord;
}

export interface CompileInput {
  slo: Slo;
  /** stages whose samples are judged, e.g. ['measure'] or ['step-01', 'step-02'] */
  judgedStages: readonly string[];
  /** traffic classes this run sends; SLO classes not sent are skipped */
  classes: readonly TrafficClass[];
  /** true for ramp and breakpoint scenarios: breaches stop the test (if the SLO's abort.onFail allows) */
  abortable: boolean;
  /**
   * seconds from the test start at which each judged stage ends. A stage's
   * bounds may abort the test only after its end (k6 counts delayAbortEval from
   * the test start), so each step is judged on all its samples, not on its
   * first one or two. Stages absent here use the SLO's abort.delaySeconds alone.
   */
  stageEndsS?: Readonly<Record<string, number>>;
}

/** Seconds after a stage's end before its bounds may abort: requests still in flight at the end land, and k6 evaluates thresholds about every 2 s. */
export const STAGE_SETTLE_S = 1;

/** delayAbortEval of one stage's abortable thresholds: the SLO's floor, and never before the stage has ended. */
export function abortDelaySeconds(floorS: number, stageEndS: number | undefined): number {
  return stageEndS === undefined ? floorS : Math.max(floorS, Math.ceil(stageEndS + STAGE_SETTLE_S));
}

export interface CompiledSlo {
  thresholds: Record<string, K6Threshold[]>;
  conditions: SloCondition[];
}

/** Count thresholds and goodput never abort: they are unmet until samples arrive. */
const CAN_ABORT: ReadonlySet<VerdictRecord['metric']> = new Set(['requests', 'samples', 'goodput']);

/** The k6 metric and tags a record's threshold is declared on: a sub-metric selector, as data. */
export function recordSelector(r: VerdictRecord): { metric: string; tags: Record<string, string> } {
  const tags: Record<string, string> = { [TAG.class]: r.class, [TAG.stage]: r.stage };
  switch (r.metric) {
    case 'requests':
      return { metric: COUNTER.requests, tags };
    case 'samples':
      return { metric: COUNTER.samples, tags: { ...tags, [TAG.metricName]: TREND[r.sampled ?? 'e2eMs'] } };
    case 'errorRate':
      return { metric: RATE.errorRate, tags };
    case 'goodput':
      return { metric: RATE.goodputRatio, tags };
    default:
      return { metric: TREND[r.metric], tags };
  }
}

/** The sub-metric name a record's threshold is declared on, e.g. genload_ttft_ms{class:llm,stage:measure}. */
export function recordMetricKey(r: VerdictRecord): string {
  const { metric, tags } = recordSelector(r);
  return subMetricName(metric, tags);
}

export function compileSlo(input: CompileInput): CompiledSlo {
  const thresholds: Record<string, K6Threshold[]> = {};
  const conditions: SloCondition[] = [];
  const abort = input.abortable && input.slo.abort?.onFail === true;
  const floorS = input.slo.abort?.delaySeconds ?? 10;
  for (const cls of input.classes) {
    const rules: ClassSlo | undefined = input.slo.classes[cls];
    if (rules === undefined) continue;
    for (const stage of input.judgedStages) {
      for (const record of classRecords(rules, stage, cls)) {
        const key = recordMetricKey(record);
        const expression = thresholdExpression(record);
        const t: K6Threshold = { threshold: expression };
        if (abort && !CAN_ABORT.has(record.metric)) {
          t.abortOnFail = true;
          t.delayAbortEval = `${abortDelaySeconds(floorS, input.stageEndsS?.[stage])}s`;
        }
        (thresholds[key] ??= []).push(t);
        conditions.push({ key, expression, stage, class: cls, meaning: recordMeaning(record), record });
      }
    }
  }
  return { thresholds, conditions };
}

/** Metrics worth reporting per class (their tagged sub-metrics are declared so they reach the summary). */
export const REPORTED_TRENDS: Readonly<Record<TrafficClass, readonly string[]>> = {
  llm: [
    TREND.e2eMs,
    TREND.ttftMs,
    TREND.itlMs,
    TREND.tpotMs,
    TREND.outputTokensPerS,
    TREND.serverQueueMs,
    TREND.serverInferenceMs,
    TREND.serverTotalMs,
    TREND.clientOverheadMs,
    TREND.serverPrefillMs,
    TREND.serverDecodeMs,
    TREND.queueNetworkMs,
    TREND.outputTokenErrorRatio,
    TREND.inputTokenErrorRatio,
  ],
  image: [
    TREND.e2eMs,
    TREND.stepMs,
    TREND.serverQueueMs,
    TREND.serverInferenceMs,
    TREND.serverDenoiseMs,
    TREND.serverTotalMs,
    TREND.clientOverheadMs,
  ],
};
export const REPORTED_COUNTERS: Readonly<Record<TrafficClass, readonly string[]>> = {
  llm: [
    COUNTER.requests,
    COUNTER.outputTokens,
    COUNTER.promptTokens,
    COUNTER.goodRequests,
    COUNTER.errors,
    COUNTER.promptCachedTokens,
    COUNTER.promptCacheReportedTokens,
  ],
  image: [COUNTER.requests, COUNTER.images, COUNTER.goodRequests, COUNTER.errors],
};

/** Expressions that always hold: used only to make k6 report a tagged sub-metric. */
export const REPORT_ONLY = { trend: 'max>=0', ratioTrend: 'max>=-1', counter: 'count>=0', rate: 'rate>=0' } as const;

/** Trends whose values may be negative (an error ratio is at least -1: no tokens at all). */
const SIGNED_TRENDS: ReadonlySet<string> = new Set([TREND.outputTokenErrorRatio, TREND.inputTokenErrorRatio]);

/**
 * Thresholds that never fail, declared so per-stage × per-class sub-metrics
 * appear in handleSummary's data (k6 only computes sub-metrics thresholds name).
 */
export function reportThresholds(
  stages: readonly string[],
  classes: readonly TrafficClass[],
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const stage of stages) {
    for (const cls of classes) {
      const tags = { [TAG.class]: cls, [TAG.stage]: stage };
      for (const m of REPORTED_TRENDS[cls])
        out[subMetricName(m, tags)] = [SIGNED_TRENDS.has(m) ? REPORT_ONLY.ratioTrend : REPORT_ONLY.trend];
      for (const m of REPORTED_COUNTERS[cls]) out[subMetricName(m, tags)] = [REPORT_ONLY.counter];
      out[subMetricName(RATE.errorRate, tags)] = [REPORT_ONLY.rate];
      out[subMetricName(RATE.goodputRatio, tags)] = [REPORT_ONLY.rate];
      if (cls === 'llm') out[subMetricName(RATE.outputShort, tags)] = [REPORT_ONLY.rate];
    }
    out[subMetricName(COUNTER.requests, { [TAG.stage]: stage })] = [REPORT_ONLY.counter];
    out[subMetricName(TREND.startLagMs, { [TAG.stage]: stage })] = [REPORT_ONLY.trend];
  }
  return out;
}

/** SLO thresholds plus report-only ones, in the shape k6 `options.thresholds` takes. */
export function mergeThresholds(
  compiled: CompiledSlo,
  report: Record<string, string[]>,
): Record<string, Array<string | K6Threshold>> {
  const out: Record<string, Array<string | K6Threshold>> = {};
  for (const [key, list] of Object.entries(report)) out[key] = [...list];
  for (const [key, list] of Object.entries(compiled.thresholds)) (out[key] ??= []).push(...list);
  return out;
}
