// A run's report as data: the numbers, tables and plot specs that report.html,
// report.md and junit.xml are rendered from. It opens with the answer (one
// sentence and a few numbers, data/answer.ts), then the per-step table and the
// knee plot. Runs whose judged stages offered different loads (ramp,
// breakpoint, concurrency, spike) get no pooled figures: a percentile over
// steps of different load describes none of them. Plots that cannot be drawn
// say why (`missing`), so a reader knows what was not recorded.

import type { TopLevelSpec } from 'vega-lite';
import { STAGE, TAG, TREND } from '../../shared/metrics.ts';
import type { RunRecord } from '../run-folder/run-record.ts';
import { classSplit, firstSampleMs, measuredValues, ofClass, stageSpans } from '../run-folder/samples.ts';
import { latencyVsLoadChart, throughputVsLoadChart } from './charts/capacity.ts';
import { cdfChart, histogramChart, type CdfSeries } from './charts/distribution.ts';
import { latencyOverTimeChart } from './charts/latency-over-time.ts';
import { kneeChart } from './charts/knee.ts';
import { errorsChart, memoryChart, queueChart, throughputVsBatchChart, utilisationChart } from './charts/server.ts';
import { availabilityOf, type Availability } from './data/availability.ts';
import {
  cdfPoints,
  headlineLatencyMetric,
  keyDistributions,
  measuredByTag,
  percentilesOverTime,
  type Distribution,
} from './data/latency.ts';
import { serverIntervals } from './data/server-rates.ts';
import { answerOf, type Answer } from './data/answer.ts';
import { serverColumns as serverColumnsOf, type ServerColumn } from './data/server-columns.ts';
import { serverSignalsChart } from './charts/server-signals.ts';
import { requestSplit, type SplitRow } from './data/request-split.ts';
import { parseSubMetric, sloRows, sloTable, type SloRow } from './data/slo.ts';
import { mixesLoadLevels, stageVerdicts, stepRows, type StepTableRow } from './data/steps.ts';
import type { TrafficClass } from '../../shared/metrics.ts';

export interface Figure {
  id: string;
  spec: TopLevelSpec;
}

export interface TokenRow {
  stage: string;
  requests: number;
  outputShortShare: number;
  outputErrorMedian: number;
  inputErrorMedian: number | null;
}

/** Token rows of the judged stages that measured them. */
export function tokenRows(summary: RunRecord['summary']): TokenRow[] {
  return (summary?.stages ?? []).flatMap((s) => {
    const t = s.judged ? s.classes.llm?.tokens : undefined;
    return t === undefined
      ? []
      : [
          {
            stage: s.stage,
            requests: t.requests,
            outputShortShare: t.outputShortShare,
            outputErrorMedian: t.outputErrorMedian,
            inputErrorMedian: t.inputErrorMedian ?? null,
          },
        ];
  });
}

export interface RunReportModel {
  runId: string;
  scenario: string;
  verdict: string;
  message: string;
  exitCode: number | null;
  startedAt: string | null;
  durationS: number | null;
  target: string | null;
  environment: Record<string, unknown>;
  validity: { valid: boolean; reasons: string[] } | null;
  /** requested vs actual token counts of the judged LLM stages, and the warnings they raised */
  tokens: { rows: TokenRow[]; warnings: string[] };
  /** the request list the run sent (workload.jsonl) */
  workloadFile: { sha256: string; count: number; source: string } | null;
  answer: Answer;
  /** per stage and class, from summary.json */
  steps: StepTableRow[];
  /** the server signals that moved most across the steps, shown beside them (data/server-columns.ts) */
  serverColumns: ServerColumn[];
  /** per stage: server prefill / decode / queue + network and the prompt cache share (data/request-split.ts) */
  requestSplit: { rows: SplitRow[]; warnings: string[] };
  /** judged stages offered different loads: no pooled figures are shown */
  mixesLoad: boolean;
  headlineMetric: string;
  /** latency distributions over the measured stages; empty when mixesLoad (they would pool different loads) */
  distributions: Distribution[];
  availability: Availability;
  /** every threshold (junit.xml) */
  slo: SloRow[];
  /** the SLO table a person reads: guards only when failing, one row per stage not reached */
  sloTable: SloRow[];
  sustainableRps: number | null;
  figures: Figure[];
  /** plots not drawn, each with the reason */
  missing: string[];
  /** sibling files worth linking (dashboard.html, k6.log...) */
  artifacts: string[];
}

export interface ModelOptions {
  /** a baseline run whose latency distribution is overlaid on the CDF */
  baseline?: RunRecord;
  artifacts?: readonly string[];
}

export function buildRunReport(run: RunRecord, opts: ModelOptions = {}): RunReportModel {
  const figures: Figure[] = [];
  const missing: string[] = [];
  const add = (id: string, spec: TopLevelSpec | null, why: string): void => {
    if (spec !== null) figures.push({ id, spec });
    else missing.push(`${id}: ${why}`);
  };
  const table = run.samples;
  const headline = headlineLatencyMetric(table);
  const slo = sloRows(run.summary);
  const answer = answerOf(run.summary, slo);
  const mixesLoad = mixesLoadLevels(run.summary);
  const verdicts = stageVerdicts(run.summary);
  add(
    'knee',
    kneeChart({ stages: run.summary?.stages ?? [], verdicts, slo, metrics: kneeMetrics(run, slo, answer) }),
    'fewer than two steps of different load reached (one load level: see the numbers above)',
  );
  const t0 = firstSampleMs(table);
  const stages = stageSpans(table).map((s) => ({ stage: s.stage, startS: (s.startMs - t0) / 1000 }));
  add(
    'latency-over-time',
    latencyOverTimeChart(headline, percentilesOverTime(table, headline), stages),
    'no latency samples (samples.json.gz missing or empty)',
  );
  add(
    'latency-vs-load',
    latencyVsLoadChart(run.capacity),
    'no capacity.json in the run folder (make capacity records the curve)',
  );
  add('throughput-vs-load', throughputVsLoadChart(run.capacity), 'no capacity.json with achieved throughput per step');

  // one curve per class in a mixed run (llm and image latencies are never pooled), each with its baseline
  const series: CdfSeries[] = [];
  const baseline = opts.baseline;
  if (mixesLoad) {
    // one curve per stage (and class): the steps' distributions side by side, never pooled
    for (const cls of classSplit([table], headline)) {
      for (const [stage, values] of measuredByTag(
        { metrics: new Map([[headline, filtered(table, headline, cls)]]), badLines: 0 },
        headline,
        TAG.stage,
      )) {
        series.push({ series: `${stage}${cls === null ? '' : ` ${cls}`}`, points: cdfPoints(values) });
      }
    }
    add(
      'latency-cdf',
      cdfChart(
        `${headline}: distribution per step`,
        'latency (ms)',
        series.filter((s) => s.points.length > 0),
      ),
      'no measured latency samples',
    );
  } else {
    for (const cls of classSplit(baseline === undefined ? [table] : [table, baseline.samples], headline)) {
      const suffix = cls === null ? '' : ` ${cls}`;
      series.push({
        series: `${run.runId}${suffix} (this run)`,
        points: cdfPoints(measuredValues(table, headline, ofClass(cls))),
      });
      if (baseline !== undefined)
        series.push({
          series: `${baseline.runId}${suffix} (baseline)`,
          points: cdfPoints(measuredValues(baseline.samples, headline, ofClass(cls))),
        });
    }
    add(
      'latency-cdf',
      cdfChart(
        `${headline}: distribution (measured stages${series.length > (baseline ? 2 : 1) ? ', per class' : ''}${baseline ? ', baseline overlaid' : ''})`,
        'latency (ms)',
        series.filter((s) => s.points.length > 0),
      ),
      'no measured latency samples',
    );
  }
  const pooled = 'pooled over steps of different load: see the per-step table and the knee plot';
  add(
    'ttft',
    mixesLoad ? null : histogramChart('time to first token', 'TTFT (ms)', measuredValues(table, TREND.ttftMs)),
    mixesLoad ? pooled : `no ${TREND.ttftMs} samples (not a streaming LLM run)`,
  );
  add(
    'itl',
    mixesLoad ? null : histogramChart('inter-token latency', 'ITL (ms)', measuredValues(table, TREND.itlMs)),
    mixesLoad ? pooled : `no ${TREND.itlMs} samples (not a streaming LLM run)`,
  );
  const steps = [...measuredByTag(table, TREND.stepMs, TAG.stage).entries()].map(([stage, values]) => ({
    series: stage,
    points: cdfPoints(values),
  }));
  add(
    'per-step',
    cdfChart('per-step latency (denoising / decode step), by stage', 'step latency (ms)', steps),
    `no ${TREND.stepMs} samples (no step timings in this scenario)`,
  );

  const serverColumns = serverColumnsOf(run.summary);
  if (run.summary?.serverSignals !== undefined)
    add(
      'server-signals',
      serverSignalsChart(run.summary, serverColumns, headline),
      run.summary?.serverSignals?.note ?? 'no server signal moved across two or more steps',
    );
  const intervals = serverIntervals(run.monitors);
  const why =
    run.monitors === undefined
      ? 'no monitors.json in the run folder'
      : 'the target exposed no batch-size or queue metrics';
  add('throughput-vs-batch', throughputVsBatchChart(intervals), why);
  add('server-queue', queueChart(intervals), why);
  add('utilisation', utilisationChart(run.monitors), 'no monitors.json in the run folder');
  add('memory', memoryChart(run.monitors), 'no monitors.json in the run folder');
  const availability = availabilityOf(table);
  add('errors', errorsChart(availability.errorsByType), 'no failed requests');

  const target = run.config?.target?.url ?? null;
  const startedAt = run.result?.startedAt ?? null;
  const endedAt = run.result?.endedAt ?? null;
  return {
    runId: run.runId,
    scenario: run.result?.scenario ?? run.summary?.scenario ?? run.config?.scenario ?? 'unknown',
    verdict: run.result?.verdict ?? (run.summary?.slo?.passed === false ? 'slo-breached' : 'unknown'),
    message: run.result?.message ?? 'no run.json: the run did not finish normally',
    exitCode: run.result?.exitCode ?? null,
    startedAt,
    durationS:
      startedAt !== null && endedAt !== null
        ? (Date.parse(endedAt) - Date.parse(startedAt)) / 1000
        : run.summary?.durationMs !== undefined
          ? run.summary.durationMs / 1000
          : null,
    target,
    environment: run.environment ?? {},
    validity: run.summary?.validity ?? null,
    tokens: { rows: tokenRows(run.summary), warnings: run.summary?.tokenWarnings ?? [] },
    workloadFile: run.summary?.workloadFile ?? null,
    answer,
    steps: stepRows(run.summary),
    serverColumns,
    requestSplit: requestSplit(run.summary),
    mixesLoad,
    headlineMetric: headline,
    distributions: mixesLoad ? [] : keyDistributions(table),
    availability,
    slo,
    sloTable: sloTable(slo),
    sustainableRps: run.capacity?.sustainableRps ?? null,
    figures,
    missing,
    artifacts: [...(opts.artifacts ?? [])],
  };
}

/** Samples of one metric, optionally one class only. */
function filtered(
  table: RunRecord['samples'],
  metric: string,
  cls: string | null,
): NonNullable<ReturnType<RunRecord['samples']['metrics']['get']>> {
  const col = table.metrics.get(metric) ?? { type: 'unknown' as const, tMs: [], values: [], tags: [] };
  if (cls === null) return col;
  const keep = col.tags.map((t) => t[TAG.class] === cls);
  return {
    type: col.type,
    tMs: col.tMs.filter((_, i) => keep[i]),
    values: col.values.filter((_, i) => keep[i]),
    tags: col.tags.filter((_, i) => keep[i]),
  };
}

/** Per class: the metrics of the bounds the first failing step broke, then e2e latency; at most two. */
function kneeMetrics(run: RunRecord, slo: readonly SloRow[], answer: Answer): Partial<Record<TrafficClass, string[]>> {
  const out: Partial<Record<TrafficClass, string[]>> = {};
  const classes = new Set((run.summary?.stages ?? []).flatMap((s) => Object.keys(s.classes))) as Set<TrafficClass>;
  for (const cls of classes) {
    const broken = slo
      .filter(
        (r) =>
          r.kind === 'bound' &&
          r.status === 'fail' &&
          r.class === cls &&
          (answer.firstFailing === null || r.stage === answer.firstFailing.stage),
      )
      .sort((a, b) => (b.margin ?? 0) - (a.margin ?? 0));
    out[cls] = [...new Set([...broken.map((r) => r.base), TREND.e2eMs])].slice(0, 2);
  }
  return out;
}

/** Warm-up is excluded from every number except the over-time plot; the report says so. */
export const MEASURED_NOTE = `Numbers cover the measured stages only (stage "${STAGE.warmup}" excluded); the over-time plot shows every stage.`;
