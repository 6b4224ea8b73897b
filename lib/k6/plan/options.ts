// Plan + SLO -> k6 options: one k6 scenario per phase, the SLO's thresholds for
// judged stages, report-only thresholds so per-stage × per-class sub-metrics
// reach handleSummary, and the percentiles the summary needs.

import type { Options, Scenario } from 'k6/options';
import { K6_BUILTIN, TREND, subMetricName, type TrafficClass } from '../../shared/metrics.ts';
import { compileSlo, mergeThresholds, reportThresholds, type CompiledSlo } from '../../shared/slo/compile.ts';
import type { Slo } from '../../shared/slo/schema.ts';
import { ArrivalSchedule, DEFAULT_WINDOW_ARRIVALS } from '../arrival/schedule.ts';
import type { LoadConfig } from '../../shared/run-config.ts';
import { allStages, judgedStages, type Phase, type Plan } from '../../shared/plan/phase.ts';
import { plannedEndS, stageInfos } from '../../shared/plan/stages.ts';

export const SUMMARY_TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'];

const seconds = (s: number): string => `${Math.round(s * 1000)}ms`;

/** k6 scenario of the load-generator probe: one VU that sleeps PROBE_SLEEP_MS again and again and records how late it woke */
export const GENERATOR_PROBE = 'genload-probe';
export const PROBE_SLEEP_MS = 50;

/** Latency assumed for VU pre-allocation when the SLO bounds no e2e latency, seconds */
export const DEFAULT_LATENCY_ESTIMATE_S = 1;
/** Pre-allocated VUs = expected concurrency × this, so jitter around the mean finds a free VU */
export const VU_HEADROOM = 1.5;

/**
 * Seconds one request is expected to take, for VU pre-allocation: the SLO's
 * loosest e2e bound over the classes sent (a passing run stays under it), else
 * DEFAULT_LATENCY_ESTIMATE_S.
 */
export function latencyEstimateS(slo: Slo, classes: readonly TrafficClass[]): number {
  let ms = 0;
  for (const cls of classes) {
    const b = slo.classes[cls]?.e2eMs;
    if (b === undefined) continue;
    ms = Math.max(ms, b.p99 ?? b.p95 ?? b.p90 ?? b.p50 ?? b.avg ?? b.max ?? 0);
  }
  return ms > 0 ? ms / 1000 : DEFAULT_LATENCY_ESTIMATE_S;
}

type ArrivalExecutor = Extract<Phase['executor'], { kind: 'constant-arrival-rate' | 'ramping-arrival-rate' }>;

export function isArrivalRate(e: Phase['executor']): e is ArrivalExecutor {
  return e.kind === 'constant-arrival-rate' || e.kind === 'ramping-arrival-rate';
}

/** VUs of an arrival-rate executor: the cap (MAX_VUS plus what arrival delays hold) and a pre-allocation from rate × latency. */
export function vuBudget(
  e: ArrivalExecutor,
  load: LoadConfig,
  latencyS: number,
): { preAllocatedVUs: number; maxVUs: number } {
  const extra =
    e.kind === 'constant-arrival-rate'
      ? ArrivalSchedule.extraVus({ arrival: load.arrival, windowArrivals: DEFAULT_WINDOW_ARRIVALS })
      : 0;
  const peak = e.kind === 'constant-arrival-rate' ? e.rateRps : Math.max(e.startRps, e.targetRps);
  const maxVUs = load.maxVus + extra;
  return {
    maxVUs,
    preAllocatedVUs: Math.min(maxVUs, Math.max(2, Math.ceil(peak * latencyS * VU_HEADROOM) + 1 + extra)),
  };
}

export function classesOf(plan: Plan): TrafficClass[] {
  const out: TrafficClass[] = [];
  if (plan.phases.some((p) => p.llmShare > 0)) out.push('llm');
  if (plan.phases.some((p) => p.llmShare < 1)) out.push('image');
  return out;
}

export function k6Scenario(p: Phase, load: LoadConfig, latencyS: number): Scenario {
  const e = p.executor;
  const common = { startTime: seconds(p.startS), tags: { stage: p.stage }, gracefulStop: '30s' };
  switch (e.kind) {
    case 'constant-arrival-rate':
    case 'ramping-arrival-rate': {
      const vus = vuBudget(e, load, latencyS);
      // k6 takes fractional rates as rate per timeUnit: use 1 s units with a millisecond-resolution time unit scaling.
      if (e.kind === 'constant-arrival-rate') {
        return {
          ...common,
          executor: 'constant-arrival-rate',
          rate: Math.round(e.rateRps * 1000),
          timeUnit: '1000s',
          duration: seconds(e.durationS),
          ...vus,
        };
      }
      return {
        ...common,
        executor: 'ramping-arrival-rate',
        startRate: Math.round(e.startRps * 1000),
        timeUnit: '1000s',
        stages: [{ target: Math.round(e.targetRps * 1000), duration: seconds(e.durationS) }],
        ...vus,
      };
    }
    case 'constant-vus':
      return { ...common, executor: 'constant-vus', vus: e.vus, duration: seconds(e.durationS) };
    case 'shared-iterations':
      return {
        ...common,
        executor: 'shared-iterations',
        vus: e.vus,
        iterations: e.iterations,
        maxDuration: seconds(e.maxDurationS),
      };
  }
}

/** true when the plan has a time-bound phase (open model or constant VUs), whose load a lagging generator distorts; compare-plan's counted iterations are not probed */
export function probed(plan: Plan): boolean {
  return plan.phases.some((p) => p.executor.kind !== 'shared-iterations');
}

export interface BuiltOptions {
  options: Options;
  compiled: CompiledSlo;
}

export function buildOptions(plan: Plan, load: LoadConfig, slo: Slo): BuiltOptions {
  const classes = classesOf(plan);
  const stageEndsS = Object.fromEntries(stageInfos(plan).map((i) => [i.stage, i.startS + i.durationS]));
  const compiled = compileSlo({
    slo,
    judgedStages: judgedStages(plan),
    classes,
    abortable: plan.abortable,
    stageEndsS,
  });
  const latencyS = latencyEstimateS(slo, classes);
  const scenarios: Record<string, Scenario> = {};
  const report = reportThresholds(allStages(plan), classes);
  for (const p of plan.phases) {
    scenarios[p.name] = k6Scenario(p, load, latencyS);
    // per-scenario drops reach handleSummary only when a threshold names them
    report[subMetricName(K6_BUILTIN.droppedIterations, { scenario: p.name })] = ['count>=0'];
  }
  if (probed(plan)) {
    scenarios[GENERATOR_PROBE] = {
      executor: 'constant-vus',
      vus: 1,
      duration: seconds(plannedEndS(plan)),
      startTime: '0ms',
      gracefulStop: '1s',
      tags: { stage: GENERATOR_PROBE },
    };
    report[TREND.generatorLagMs] = ['max>=0'];
    // the probe's lag per stage reaches handleSummary only through thresholds naming it
    for (const stage of allStages(plan)) report[subMetricName(TREND.generatorLagMs, { stage })] = ['max>=0'];
  }
  const thresholds = mergeThresholds(compiled, report);
  return {
    options: { scenarios, thresholds: thresholds as Options['thresholds'], summaryTrendStats: SUMMARY_TREND_STATS },
    compiled,
  };
}
