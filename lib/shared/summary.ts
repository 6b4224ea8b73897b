// summary.json: the versioned record of one k6 run, written by handleSummary
// (lib/k6/summary) into the run folder and read by the CLI (exit code, reports,
// capacity search). Bump SUMMARY_SCHEMA_VERSION on any incompatible change.
// All durations are milliseconds, rates per second.

import type { ErrorClass, TrafficClass } from './metrics.ts';
import type { GeneratorBlock } from './generator/figures.ts';
import type { PhaseDelivery, TargetLimit } from './validity.ts';
import type { TokenAccuracy } from './token-accuracy.ts';
import type { WorkloadFileRef } from './run-config.ts';
import type { ServerSignalsInfo, ServerStageBlock } from './server-signals.ts';
import type { VerdictRecord } from './slo/record.ts';

export const SUMMARY_SCHEMA_VERSION = 1;

/** Aggregates of one Trend, as k6 computed them (summaryTrendStats). */
export interface TrendStats {
  count: number;
  avg: number;
  min: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
}

export interface ClassStageStats {
  requests: number;
  /** failed / requests */
  errorRate: number;
  errors: Partial<Record<ErrorClass, number>>;
  /** successful requests meeting every per-request SLO limit / requests */
  goodputRatio: number;
  /** requests / stage duration */
  requestsPerS: number;
  /** good requests / stage duration */
  goodputPerS: number;
  outputTokens: number;
  promptTokens: number;
  /** output tokens / stage duration (aggregate throughput) */
  outputTokensPerS: number;
  images: number;
  imagesPerS: number;
  /** keyed by metric name from lib/shared/metrics.ts TREND (e.g. genload_ttft_ms) */
  latency: Record<string, TrendStats>;
  /** LLM: requested vs actual token counts (per request samples in the raw output) */
  tokens?: TokenAccuracy;
  /** LLM: prompt tokens the server served from its prompt cache, of the prompt tokens of requests that reported it; absent when none did */
  promptCache?: { cachedTokens: number; reportedTokens: number };
}

export interface StageSummary {
  stage: string;
  judged: boolean;
  /** planned duration of the stage, seconds */
  durationS: number;
  /** planned start of the stage, seconds from the test's start (places the stage on the generator's CPU series) */
  startS?: number;
  /** planned open-model rate, requests per second (absent for closed-model stages) */
  offeredRps?: number;
  /** measured requests / duration */
  achievedRps: number;
  requests: number;
  /** p95 of the load generator's lag behind the planned arrival times, ms */
  startLagP95Ms?: number;
  /** closed-model stages: the concurrent requests (VUs) the stage held */
  concurrency?: number;
  /** false when the test stopped (abort, interrupt) before this stage ended */
  completed: boolean;
  /** p95 of k6's probe VU's oversleep during this stage, ms (load-generator health per stage) */
  probeLagP95Ms?: number;
  classes: Partial<Record<TrafficClass, ClassStageStats>>;
  /** the target's own signals over the stage (its /metrics, lib/shared/server-signals.ts); absent when none were read */
  server?: ServerStageBlock;
}

export interface SloVerdict {
  stage: string;
  class: TrafficClass;
  /** e.g. "ttftMs p95 < 500 ms" */
  meaning: string;
  /** k6 sub-metric and expression, e.g. genload_ttft_ms{class:llm,stage:measure} p(95)<500 */
  metric: string;
  expression: string;
  ok: boolean;
  /** the run ended before this stage started (e.g. the steps after an aborted ramp's breach): not judged, shown as not reached */
  notReached?: true;
  /** judged from what k6 delivered (the target needed more than MAX_VUS concurrent requests), not from a k6 threshold */
  delivery?: true;
  /** the SLO condition as data (stage, class, metric, statistic, bound, unit): readers use it, not `expression`; absent on delivery verdicts and in older summaries */
  record?: VerdictRecord;
}

export interface Summary {
  schemaVersion: typeof SUMMARY_SCHEMA_VERSION;
  tool: 'genload';
  scenario: string;
  runId: string;
  target: { url: string; api: string; model: string | null };
  load: Record<string, unknown>;
  workload: Record<string, unknown>;
  /** wall time of the k6 run, ms */
  durationMs: number;
  /** the run delivered the planned load; invalid runs are not evidence either way */
  validity: {
    valid: boolean;
    /** why the run is invalid (the load generator's failures); [] when valid */
    reasons: string[];
    /** what was seen and tolerated (e.g. a few arrivals dropped while VUs started) */
    notes: string[];
    /** stages where the target needed more concurrent requests than MAX_VUS allows: the target's property, a failed verdict of the stage */
    targetLimits: TargetLimit[];
    droppedIterations: number;
    /** per k6 scenario: planned and dropped arrivals, VU cap (what the judgement worked on) */
    phases: PhaseDelivery[];
    /** p95 of k6's probe VU's oversleep, ms (load-generator health) */
    generatorLagP95Ms?: number;
  };
  slo: {
    name: string;
    passed: boolean;
    /** the test was stopped early by an abortOnFail threshold */
    aborted: boolean;
    verdicts: SloVerdict[];
    /** ramp and breakpoint: highest offered rate of a judged stage whose verdicts all held */
    highestPassingRps?: number;
    /** concurrency: highest concurrency of a judged step whose verdicts all held, and its throughput */
    highestPassingConcurrency?: number;
    /** achieved requests/s at highestPassingConcurrency */
    throughputAtHighestRps?: number;
  };
  stages: StageSummary[];
  /** the run's request list (workload.jsonl): what was sent, to prove two runs sent the same requests */
  workloadFile?: WorkloadFileRef;
  /** warnings of requested vs actual token counts, over judged stages */
  tokenWarnings?: string[];
  /** where the stages' server blocks came from, or why there are none (added by the CLI after k6 exits) */
  serverSignals?: ServerSignalsInfo;
  /** the load generator per stage (k6's CPU, the probe, the target's own time), added by the CLI after k6 ends */
  generator?: GeneratorBlock;
}
