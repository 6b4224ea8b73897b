// Plan + SLO -> k6 options: one k6 scenario per phase, the SLO's thresholds for
// judged stages, report-only thresholds so per-stage × per-class sub-metrics
// reach handleSummary, and the percentiles the summary needs.

import type { Options, Scenario } from 'k6/options';
import type { TrafficClass } from '../../shared/metrics.ts';
import { compileSlo, mergeThresholds, reportThresholds, type CompiledSlo } from '../../shared/slo/compile.ts';
import type { Slo } from '../../shared/slo/schema.ts';
import { ArrivalSchedule, DEFAULT_WINDOW_ARRIVALS } from '../arrival/schedule.ts';
import type { LoadConfig } from '../../shared/run-config.ts';
import { allStages, judgedStages, type Phase, type Plan } from './phase.ts';
import { stageInfos } from './stages.ts';

export const SUMMARY_TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'];

/** Used when a run names no SLO file: only "something was measured and errors stayed under 5 %". */
export const DEFAULT_SLO: Slo = { schemaVersion: 1, name: 'default', classes: { llm: { errorRate: 0.05 }, image: { errorRate: 0.05 } } };

const seconds = (s: number): string => `${Math.round(s * 1000)}ms`;

export function classesOf(plan: Plan): TrafficClass[] {
  const out: TrafficClass[] = [];
  if (plan.phases.some((p) => p.llmShare > 0)) out.push('llm');
  if (plan.phases.some((p) => p.llmShare < 1)) out.push('image');
  return out;
}

export function k6Scenario(p: Phase, load: LoadConfig): Scenario {
  const e = p.executor;
  const common = { startTime: seconds(p.startS), tags: { stage: p.stage }, gracefulStop: '30s' };
  const extra = ArrivalSchedule.extraVus({ arrival: load.arrival, windowArrivals: DEFAULT_WINDOW_ARRIVALS });
  switch (e.kind) {
    case 'constant-arrival-rate':
    case 'ramping-arrival-rate': {
      const peak = e.kind === 'constant-arrival-rate' ? e.rateRps : Math.max(e.startRps, e.targetRps);
      const maxVUs = load.maxVus + (e.kind === 'constant-arrival-rate' ? extra : 0);
      const preAllocatedVUs = Math.min(maxVUs, Math.max(2, Math.ceil(peak) + (e.kind === 'constant-arrival-rate' ? extra : 0)));
      // k6 takes fractional rates as rate per timeUnit: use 1 s units with a millisecond-resolution time unit scaling.
      if (e.kind === 'constant-arrival-rate') {
        return { ...common, executor: 'constant-arrival-rate', rate: Math.round(e.rateRps * 1000), timeUnit: '1000s', duration: seconds(e.durationS), preAllocatedVUs, maxVUs };
      }
      return {
        ...common,
        executor: 'ramping-arrival-rate',
        startRate: Math.round(e.startRps * 1000),
        timeUnit: '1000s',
        stages: [{ target: Math.round(e.targetRps * 1000), duration: seconds(e.durationS) }],
        preAllocatedVUs,
        maxVUs,
      };
    }
    case 'constant-vus':
      return { ...common, executor: 'constant-vus', vus: e.vus, duration: seconds(e.durationS) };
    case 'shared-iterations':
      return { ...common, executor: 'shared-iterations', vus: e.vus, iterations: e.iterations, maxDuration: seconds(e.maxDurationS) };
  }
}

export interface BuiltOptions {
  options: Options;
  compiled: CompiledSlo;
}

export function buildOptions(plan: Plan, load: LoadConfig, slo: Slo | null): BuiltOptions {
  const classes = classesOf(plan);
  const stageEndsS = Object.fromEntries(stageInfos(plan).map((i) => [i.stage, i.startS + i.durationS]));
  const compiled = compileSlo({ slo: slo ?? DEFAULT_SLO, judgedStages: judgedStages(plan), classes, abortable: plan.abortable, stageEndsS });
  const scenarios: Record<string, Scenario> = {};
  for (const p of plan.phases) scenarios[p.name] = k6Scenario(p, load);
  const thresholds = mergeThresholds(compiled, reportThresholds(allStages(plan), classes));
  return { options: { scenarios, thresholds: thresholds as Options['thresholds'], summaryTrendStats: SUMMARY_TREND_STATS }, compiled };
}
