// The knee plot of a run with several load levels (ramp, breakpoint,
// concurrency steps): per step, latency percentiles against the offered load
// (solid) and the achieved throughput (dashed), with the SLO bounds drawn as
// horizontal rules in the percentile's colour; under it, achieved throughput
// against offered load with the "achieved = offered" diagonal. Where the two
// part, the target stopped keeping up. Data from summary.json, one point per
// stage reached.

import type { TopLevelSpec } from 'vega-lite';
import type { TrafficClass } from '../../../shared/metrics.ts';
import type { StageSummary } from '../../../shared/summary.ts';
import { metricLabel, type SloRow } from '../data/slo.ts';
import { stageLoad, type StageVerdict } from '../data/steps.ts';
import { CHART } from './render.ts';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const PERCENTILES = ['p50', 'p95', 'p99'] as const;
const PCT_COLOURS = { domain: ['p50', 'p95', 'p99'], range: ['#4c78a8', '#f58518', '#d62728'] };
const VERDICT_COLOURS = {
  domain: ['pass', 'fail', 'not reached', 'no SLO'],
  range: ['#2a9d3c', '#d62728', '#888', '#4c78a8'],
};

export interface KneeInput {
  stages: readonly StageSummary[];
  verdicts: ReadonlyMap<string, StageVerdict>;
  slo: readonly SloRow[];
  /** latency metrics to plot per class, e.g. {llm: ['genload_itl_ms', 'genload_e2e_ms']} */
  metrics: Partial<Record<TrafficClass, readonly string[]>>;
}

function latencyPanel(input: KneeInput, cls: TrafficClass, metric: string, unit: 'rps' | 'VUs'): TopLevelSpec | null {
  const points: Record<string, unknown>[] = [];
  for (const st of input.stages) {
    const c = st.classes[cls];
    const load = stageLoad(st);
    const verdict = input.verdicts.get(st.stage);
    if (!st.judged || c === undefined || load === null || verdict === 'not reached') continue;
    const stats = c.latency[metric];
    if (stats === undefined || stats.count === 0) continue;
    for (const p of PERCENTILES) {
      if (unit === 'rps')
        points.push({ stage: st.stage, load: load.value, against: 'offered load', percentile: p, latencyMs: stats[p] });
      points.push({
        stage: st.stage,
        load: c.requestsPerS,
        against: 'achieved throughput',
        percentile: p,
        latencyMs: stats[p],
      });
    }
  }
  if (points.length === 0) return null;
  // one rule per bounded percentile of this metric and class (the limit is the same in every stage)
  const bounds = new Map<string, number>();
  for (const r of input.slo) {
    if (r.kind !== 'bound' || r.class !== cls || r.limit === null || r.base !== metric) continue;
    const p = r.aggregate.replace(/^p\((\d+)\)$/, 'p$1');
    if ((PERCENTILES as readonly string[]).includes(p)) bounds.set(p, r.limit);
  }
  const rules = [...bounds].map(([percentile, limitMs]) => ({
    percentile,
    limitMs,
    label: `SLO ${percentile} < ${limitMs} ms`,
  }));
  const maxY = Math.max(...points.map((p) => Number(p['latencyMs'])), ...rules.map((r) => r.limitMs)) * 1.08;
  return {
    title: `${cls} ${metricLabel(metric)} latency per step (solid: vs offered load, dashed: vs achieved throughput)`,
    width: CHART.width,
    height: CHART.height,
    layer: [
      {
        data: { values: points },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'load', type: 'quantitative', title: 'requests/s' },
          y: {
            field: 'latencyMs',
            type: 'quantitative',
            title: `${metricLabel(metric)} (ms)`,
            scale: { domain: [0, maxY] },
          },
          color: { field: 'percentile', type: 'nominal', title: 'percentile', scale: PCT_COLOURS },
          strokeDash: {
            field: 'against',
            type: 'nominal',
            title: 'x is',
            scale: {
              domain: ['offered load', 'achieved throughput'],
              range: [
                [1, 0],
                [5, 3],
              ],
            },
          },
          detail: { field: 'against' },
        },
      },
      ...(rules.length === 0
        ? []
        : [
            {
              data: { values: rules },
              mark: { type: 'rule', strokeDash: [2, 2], strokeWidth: 1.5 },
              encoding: {
                y: { field: 'limitMs', type: 'quantitative' },
                color: { field: 'percentile', type: 'nominal', scale: PCT_COLOURS },
              },
            },
            {
              data: { values: rules },
              mark: { type: 'text', align: 'left', baseline: 'bottom', dx: 4, dy: -2, fontSize: 10 },
              encoding: {
                x: { value: 0 },
                y: { field: 'limitMs', type: 'quantitative' },
                text: { field: 'label' },
                color: { field: 'percentile', type: 'nominal', scale: PCT_COLOURS },
              },
            },
          ]),
    ],
  } as unknown as TopLevelSpec;
}

function throughputPanel(input: KneeInput, unit: 'rps' | 'VUs'): TopLevelSpec | null {
  const values = input.stages
    .filter((st) => st.judged && input.verdicts.get(st.stage) !== 'not reached')
    .flatMap((st) => {
      const load = stageLoad(st);
      return load === null
        ? []
        : [
            {
              stage: st.stage,
              offered: load.value,
              achieved: st.achievedRps,
              verdict: input.verdicts.get(st.stage) ?? 'no SLO',
            },
          ];
    });
  if (values.length === 0) return null;
  const max = Math.max(...values.map((v) => Math.max(v.offered, v.achieved)));
  return {
    title:
      unit === 'rps'
        ? 'achieved throughput vs offered load (dotted: achieved = offered)'
        : 'achieved throughput vs concurrency',
    width: CHART.width,
    height: CHART.height - 40,
    layer: [
      ...(unit === 'rps'
        ? [
            {
              data: {
                values: [
                  { x: 0, y: 0 },
                  { x: max, y: max },
                ],
              },
              mark: { type: 'line', strokeDash: [2, 2], color: '#aaa' },
              encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
            },
          ]
        : []),
      {
        data: { values },
        mark: { type: 'line', color: '#bbb' },
        encoding: { x: { field: 'offered', type: 'quantitative' }, y: { field: 'achieved', type: 'quantitative' } },
      },
      {
        data: { values },
        mark: { type: 'point', filled: true, size: 70 },
        encoding: {
          x: {
            field: 'offered',
            type: 'quantitative',
            title: unit === 'rps' ? 'offered load (requests/s)' : 'concurrency (VUs)',
          },
          y: { field: 'achieved', type: 'quantitative', title: 'achieved (requests/s)' },
          color: { field: 'verdict', type: 'nominal', title: 'step verdict', scale: VERDICT_COLOURS },
        },
      },
    ],
  } as unknown as TopLevelSpec;
}

/** null when fewer than two stages were reached with a known load (nothing to draw a curve through). */
export function kneeChart(input: KneeInput): TopLevelSpec | null {
  const reached = input.stages.filter(
    (st) => st.judged && stageLoad(st) !== null && input.verdicts.get(st.stage) !== 'not reached',
  );
  if (reached.length < 2) return null;
  const unit = stageLoad(reached[0])?.unit ?? 'rps';
  const panels: TopLevelSpec[] = [];
  for (const [cls, metrics] of Object.entries(input.metrics) as [TrafficClass, readonly string[]][]) {
    for (const m of metrics) {
      const p = latencyPanel(input, cls, m, unit);
      if (p !== null) panels.push(p);
    }
  }
  const tput = throughputPanel(input, unit);
  if (tput !== null) panels.push(tput);
  if (panels.length === 0) return null;
  return {
    $schema: SCHEMA,
    vconcat: panels,
    resolve: { scale: { color: 'independent', strokeDash: 'independent' } },
  } as unknown as TopLevelSpec;
}
