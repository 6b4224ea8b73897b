// Builds the summary.json of a distributed run from the union of every
// execution segment's raw samples. Counts are summed, latency percentiles are
// recomputed from all samples (never averaged across instances), and every SLO
// threshold is judged again on the union. The instances' own summaries give
// only what samples cannot: the stage plan, the SLO's conditions, whether each
// stage ran to its end, and the wall time. Pure.

import { buildClassStats } from '../../shared/class-stats.ts';
import { COUNTER, TAG, TREND, type TrafficClass } from '../../shared/metrics.ts';
import type { ClassStageStats, StageSummary, Summary } from '../../shared/summary.ts';
import type { SampleTable } from '../run-folder/samples.ts';
import { rateOf, select, sum, trendStats } from './aggregate.ts';
import { judgeRecord } from './threshold.ts';
import { judgeValidity, type PhaseDelivery } from '../../shared/validity.ts';
import { deliveryVerdicts, highestPassing } from '../../shared/verdicts.ts';
import { tokenWarningsOf } from '../../shared/token-accuracy.ts';

function classStats(
  table: SampleTable,
  stage: string,
  cls: TrafficClass,
  durationS: number,
  warnInput: boolean,
): ClassStageStats | undefined {
  const tags = { [TAG.class]: cls, [TAG.stage]: stage };
  const values = (metric: string, extra: Record<string, string> = {}) =>
    select(table, { metric, tags: { ...tags, ...extra } }).values;
  return buildClassStats(
    {
      count: (metric, extra) => sum(values(metric, extra)),
      rate: (metric) => rateOf(values(metric)),
      trend: (metric) => trendStats(values(metric)),
    },
    durationS,
    `${stage} ${cls}`,
    warnInput,
  );
}

function mergeStage(table: SampleTable, plans: readonly StageSummary[], warnInput: boolean): StageSummary {
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
  if (first.concurrency !== undefined) s.concurrency = first.concurrency;
  const lag = trendStats(select(table, { metric: TREND.startLagMs, tags: { [TAG.stage]: first.stage } }).values);
  if (lag !== undefined) s.startLagP95Ms = lag.p95;
  if (first.startS !== undefined) s.startS = first.startS;
  const probe = trendStats(select(table, { metric: TREND.generatorLagMs, tags: { [TAG.stage]: first.stage } }).values);
  if (probe !== undefined) s.probeLagP95Ms = probe.p95;
  const classes = new Set(plans.flatMap((p) => Object.keys(p.classes) as TrafficClass[]));
  for (const cls of [...classes].sort()) {
    const c = classStats(table, first.stage, cls, durationS, warnInput);
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
  const stages = base.stages.map((st) =>
    mergeStage(
      table,
      instances.map((i) => i.stages.find((x) => x.stage === st.stage) ?? st),
      base.workloadFile?.exactInput === true,
    ),
  );

  // delivery verdicts are judged again below from the merged drops; the rest are k6 thresholds, judged on the union
  const verdicts = base.slo.verdicts
    .filter((v) => v.delivery !== true)
    .map((v) => {
      if (v.record === undefined)
        throw new Error(
          `merge: verdict ${v.stage} ${v.class} ${v.meaning} has no record (written by an older genload)`,
        );
      return { ...v, ok: judgeRecord(table, v.record, durationMs / 1000).ok };
    });
  // each instance ran its segment of every phase: arrivals, drops and VU caps add up
  const phases = (base.validity.phases ?? []).map((p): PhaseDelivery => {
    const all = instances
      .map((i) => i.validity.phases?.find((x) => x.phase === p.phase))
      .filter((x): x is PhaseDelivery => x !== undefined);
    return {
      ...p,
      plannedArrivals: all.reduce((a, x) => a + x.plannedArrivals, 0),
      droppedIterations: all.reduce((a, x) => a + x.droppedIterations, 0),
      maxVus: all.reduce((a, x) => a + x.maxVus, 0),
      ...(all.every((x) => x.preAllocatedVus !== undefined)
        ? { preAllocatedVus: all.reduce((a, x) => a + (x.preAllocatedVus ?? 0), 0) }
        : {}),
    };
  });
  const lag = trendStats(select(table, { metric: TREND.generatorLagMs, tags: {} }).values);
  const validity = judgeValidity(stages, phases, lag?.p95);
  const classOf = new Map(base.slo.verdicts.map((v) => [v.stage, v.class]));
  verdicts.push(...deliveryVerdicts(validity.targetLimits, (stage) => classOf.get(stage) ?? 'llm'));
  const passed = verdicts.every((v) => v.ok);
  const slo: Summary['slo'] = { name: base.slo.name, passed, aborted: instances.some((s) => s.slo.aborted), verdicts };
  // Same rule as a single run of a stepped scenario (ramp, breakpoint, concurrency).
  // Summaries do not say whether the plan was stepped; several judged stages with
  // a rate or a concurrency, or an instance that reported the answer, mean it was.
  const stepped =
    instances.some((s) => s.slo.highestPassingRps !== undefined || s.slo.highestPassingConcurrency !== undefined) ||
    base.stages.filter((st) => st.judged && (st.offeredRps !== undefined || st.concurrency !== undefined)).length > 1;
  if (stepped) Object.assign(slo, highestPassing(stages, verdicts));
  const { tokenWarnings: _instanceWarnings, ...rest } = base;
  return {
    ...rest,
    durationMs,
    validity,
    slo,
    stages,
    ...tokenWarningsOf(stages),
  };
}
