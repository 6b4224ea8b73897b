// Builds summary.json (lib/shared/summary.ts) from k6's end-of-test data, the
// plan and the compiled SLO. Pure: handle.ts does the k6 and file parts.

import { COUNTER, K6_BUILTIN, TAG, TREND, subMetricName, type TrafficClass } from '../../shared/metrics.ts';
import { buildClassStats } from '../../shared/class-stats.ts';
import type { RunConfig } from '../../shared/run-config.ts';
import type { CompiledSlo } from '../../shared/slo/compile.ts';
import {
  SUMMARY_SCHEMA_VERSION,
  type ClassStageStats,
  type SloVerdict,
  type StageSummary,
  type Summary,
  type TrendStats,
} from '../../shared/summary.ts';
import { classesOf, isArrivalRate, latencyEstimateS, vuBudget } from '../plan/options.ts';
import { offeredRequests, stagesOf, type Plan } from '../../shared/plan/phase.ts';
import { offeredRpsOf, plannedEndS, stageInfos } from '../../shared/plan/stages.ts';
import { judgeValidity, type PhaseDelivery } from '../../shared/validity.ts';
import { tokenWarningsOf } from '../../shared/token-accuracy.ts';
import { deliveryVerdicts, highestPassing } from '../../shared/verdicts.ts';

export interface K6Metric {
  type: string;
  values: Record<string, number>;
  thresholds?: Record<string, { ok: boolean }>;
}
export interface K6SummaryData {
  metrics: Record<string, K6Metric>;
  state?: { testRunDurationMs?: number };
}

const num = (v: number | undefined): number => (v === undefined || !Number.isFinite(v) ? 0 : v);

function trendStats(m: K6Metric | undefined): TrendStats | undefined {
  const v = m?.values;
  if (v === undefined || num(v['count']) === 0) return undefined;
  return {
    count: num(v['count']),
    avg: num(v['avg']),
    min: num(v['min']),
    p50: num(v['med']),
    p90: num(v['p(90)']),
    p95: num(v['p(95)']),
    p99: num(v['p(99)']),
    max: num(v['max']),
  };
}

function classStats(
  data: K6SummaryData,
  stage: string,
  cls: TrafficClass,
  durationS: number,
  warnInput: boolean,
): ClassStageStats | undefined {
  const tags = { [TAG.class]: cls, [TAG.stage]: stage };
  const get = (metric: string, extra: Record<string, string> = {}) =>
    data.metrics[subMetricName(metric, { ...tags, ...extra })];
  return buildClassStats(
    {
      count: (metric, extra) => num(get(metric, extra)?.values['count']),
      rate: (metric) => num(get(metric)?.values['rate']),
      trend: (metric) => trendStats(get(metric)),
    },
    durationS,
    `${stage} ${cls}`,
    warnInput,
  );
}

/** What each open-model phase delivered: planned and dropped arrivals, its VU cap. */
export function phaseDeliveries(data: K6SummaryData, config: RunConfig, plan: Plan): PhaseDelivery[] {
  const latencyS = latencyEstimateS(config.slo, classesOf(plan));
  return plan.phases.flatMap((p): PhaseDelivery[] => {
    const planned = offeredRequests(p);
    if (!isArrivalRate(p.executor) || planned === undefined) return [];
    const vus = vuBudget(p.executor, config.load, latencyS);
    const dropped = num(
      data.metrics[subMetricName(K6_BUILTIN.droppedIterations, { scenario: p.name })]?.values['count'],
    );
    return [
      {
        phase: p.name,
        stages: stagesOf(p),
        judged: p.judged,
        plannedArrivals: planned,
        droppedIterations: dropped,
        maxVus: vus.maxVUs,
        preAllocatedVus: vus.preAllocatedVUs,
      },
    ];
  });
}

export function buildSummary(
  data: K6SummaryData,
  config: RunConfig,
  plan: Plan,
  compiled: CompiledSlo,
  sloName: string,
): Summary {
  const durationMs = num(data.state?.testRunDurationMs);
  const ranS = durationMs / 1000;
  const classes = classesOf(plan);
  const infos = stageInfos(plan);
  const stages: StageSummary[] = infos.map((info) => {
    const offeredRps = offeredRpsOf(info);
    // closed-model stages without a fixed length (compare-plan) use the run's duration
    const durationS =
      offeredRps === undefined ? Math.min(info.durationS, Math.max(ranS - info.startS, 0.001)) : info.durationS;
    const requests = num(data.metrics[subMetricName(COUNTER.requests, { [TAG.stage]: info.stage })]?.values['count']);
    const lag = data.metrics[subMetricName(TREND.startLagMs, { [TAG.stage]: info.stage })]?.values;
    const s: StageSummary = {
      stage: info.stage,
      judged: info.judged,
      durationS,
      startS: info.startS,
      achievedRps: durationS > 0 ? requests / durationS : 0,
      requests,
      completed: offeredRps === undefined || ranS + 0.5 >= info.startS + info.durationS,
      classes: {},
    };
    if (offeredRps !== undefined) s.offeredRps = offeredRps;
    if (info.concurrency !== undefined) s.concurrency = info.concurrency;
    if (lag !== undefined && num(lag['count']) > 0) s.startLagP95Ms = num(lag['p(95)']);
    const probe = data.metrics[subMetricName(TREND.generatorLagMs, { [TAG.stage]: info.stage })]?.values;
    if (probe !== undefined && num(probe['count']) > 0) s.probeLagP95Ms = num(probe['p(95)']);
    for (const cls of classes) {
      const c = classStats(data, info.stage, cls, durationS, config.workloadFile?.exactInput === true);
      if (c !== undefined) s.classes[cls] = c;
    }
    return s;
  });

  // a stage that had not started when the run ended (a ramp stopped at an earlier step) has no verdict of its own
  const startOf = new Map(infos.map((i) => [i.stage, i.startS]));
  const verdicts = compiled.conditions.map((c): SloVerdict => {
    const v: SloVerdict = {
      stage: c.stage,
      class: c.class,
      meaning: c.meaning,
      metric: c.key,
      expression: c.expression,
      ok: data.metrics[c.key]?.thresholds?.[c.expression]?.ok ?? false,
      record: c.record,
    };
    if (!v.ok && ranS + 0.5 < (startOf.get(c.stage) ?? 0)) v.notReached = true;
    return v;
  });
  const lag = data.metrics[TREND.generatorLagMs]?.values;
  const validity = judgeValidity(
    stages,
    phaseDeliveries(data, config, plan),
    lag !== undefined && num(lag['count']) > 0 ? num(lag['p(95)']) : undefined,
  );
  const llmShareOf = new Map(infos.map((i) => [i.stage, i.llmShare]));
  verdicts.push(
    ...deliveryVerdicts(validity.targetLimits, (stage) => ((llmShareOf.get(stage) ?? 1) > 0 ? 'llm' : 'image')),
  );
  const passed = verdicts.every((v) => v.ok);
  const aborted = plan.abortable && !passed && ranS + 1 < plannedEndS(plan);
  const slo: Summary['slo'] = {
    name: sloName,
    passed,
    aborted,
    verdicts,
    ...(plan.abortable ? highestPassing(stages, verdicts) : {}),
  };

  return {
    schemaVersion: SUMMARY_SCHEMA_VERSION,
    tool: 'genload',
    scenario: config.scenario,
    runId: config.runId,
    target: { url: config.target.url, api: config.target.api, model: config.target.model ?? null },
    load: { ...config.load },
    workload: { ...config.workload },
    durationMs,
    validity,
    slo,
    stages,
    ...(config.workloadFile === undefined ? {} : { workloadFile: config.workloadFile }),
    ...tokenWarningsOf(stages),
  };
}
