// Builds the summary.json of a distributed run from the union of every
// execution segment's raw samples. Counts are summed, latency percentiles are
// recomputed from all samples (never averaged across instances), and every SLO
// threshold is judged again on the union. The instances' own summaries give
// only what samples cannot: the stage plan, the SLO's conditions, whether each
// stage ran to its end, and the wall time. Pure.

import { buildClassStats } from '../../shared/class-stats.ts';
import { COUNTER, K6_BUILTIN, TAG, TREND, type TrafficClass } from '../../shared/metrics.ts';
import type { ClassStageStats, StageSummary, Summary } from '../../shared/summary.ts';
import type { SampleTable } from '../record/samples.ts';
import { rateOf, select, sum, trendStats } from './aggregate.ts';
import { judgeThreshold } from './threshold.ts';
import { judgeValidity } from '../../shared/validity.ts';

function classStats(table: SampleTable, stage: string, cls: TrafficClass, durationS: number): ClassStageStats | undefined {
  const tags = { [TAG.class]: cls, [TAG.stage]: stage };
  const values = (metric: string, extra: Record<string, string> = {}) => select(table, { metric, tags: { ...tags, ...extra } }).values;
  return buildClassStats({ count: (metric, extra) => sum(values(metric, extra)), rate: (metric) => rateOf(values(metric)), trend: (metric) => trendStats(values(metric)) }, durationS);
}

function mergeStage(table: SampleTable, plans: readonly StageSummary[]): StageSummary {
  const first = plans[0];
  if (first === undefined) throw new Error('merge: a stage with no instance summaries');
  // closed-model stages are cut to the run's length, which differs a little per instance
  const durationS = Math.max(...plans.map((p) => p.durationS));
  const requests = sum(select(table, { metric: COUNTER.requests, tags: { [TAG.stage]: first.stage } }).values);
  const s: StageSummary = {
    stage: first.stage,
    judged: first.judged,
    durationS,
    achievedRps: durationS > 0 ? requests / durationS : 0,
    requests,
    completed: plans.every((p) => p.completed),
    classes: {},
  };
  if (first.offeredRps !== undefined) s.offeredRps = first.offeredRps;
  const lag = trendStats(select(table, { metric: TREND.startLagMs, tags: { [TAG.stage]: first.stage } }).values);
  if (lag !== undefined) s.startLagP95Ms = lag.p95;
  const classes = new Set(plans.flatMap((p) => Object.keys(p.classes) as TrafficClass[]));
  for (const cls of [...classes].sort()) {
    const c = classStats(table, first.stage, cls, durationS);
    if (c !== undefined) s.classes[cls] = c;
  }
  return s;
}

/**
 * The merged summary. `instances` are the segments' own summary.json (at least
 * one); `table` holds the union of their samples.
 */
export function mergeSummaries(instances: readonly Summary[], table: SampleTable): Summary {
  const base = instances[0];
  if (base === undefined) throw new Error('merge: no instance wrote a summary.json');
  const durationMs = Math.max(...instances.map((s) => s.durationMs));
  const stages = base.stages.map((st) => mergeStage(table, instances.map((i) => i.stages.find((x) => x.stage === st.stage) ?? st)));

  const verdicts = base.slo.verdicts.map((v) => ({ ...v, ok: judgeThreshold(table, v.metric, v.expression, durationMs / 1000).ok }));
  const passed = verdicts.every((v) => v.ok);
  const slo: Summary['slo'] = { name: base.slo.name, passed, aborted: instances.some((s) => s.slo.aborted), verdicts };
  // Same rule as a single run of a stepped scenario (ramp, breakpoint): the highest
  // offered rate of a completed judged stage whose verdicts all held, in order.
  // Summaries do not say whether the plan was stepped; several judged open-model
  // stages, or an instance that reported the figure, mean it was.
  const stepped = instances.some((s) => s.slo.highestPassingRps !== undefined) || base.stages.filter((st) => st.judged && st.offeredRps !== undefined).length > 1;
  if (stepped) {
    let highest: number | undefined;
    for (const st of stages.filter((x) => x.judged && x.offeredRps !== undefined)) {
      if (!st.completed || verdicts.some((v) => v.stage === st.stage && !v.ok)) break;
      highest = st.offeredRps;
    }
    if (highest !== undefined) slo.highestPassingRps = highest;
  }

  const dropped = sum(select(table, { metric: K6_BUILTIN.droppedIterations, tags: {} }).values);
  return {
    ...base,
    durationMs,
    validity: judgeValidity(stages, dropped),
    slo,
    stages,
  };
}
