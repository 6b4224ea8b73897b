// The steps' latency beside the target's own signals: one panel per figure,
// stacked on a shared step axis, so a reader sees which server signal rose
// with the latency at the knee. Top: P95 of the headline latency per step
// (per class); below: the mean of each signal the steps table shows
// (data/server-columns.ts). Judged steps only.

import type { TopLevelSpec } from 'vega-lite';
import { SIGNALS } from '../../../shared/server-signals.ts';
import type { RunSummary } from '../../run-folder/run-record.ts';
import type { ServerColumn } from '../data/server-columns.ts';
import { stageLoad } from '../data/steps.ts';
import { CHART } from './render.ts';

interface Point {
  step: string;
  panel: string;
  series: string;
  value: number;
}

const UNIT_TITLE = { ms: 'ms', ratio: '%', requests: 'requests', per_s: 'per s' } as const;

export function serverSignalsChart(
  summary: RunSummary | undefined,
  columns: readonly ServerColumn[],
  latencyMetric: string,
): TopLevelSpec | null {
  if (columns.length === 0) return null;
  const stages = (summary?.stages ?? []).filter((s) => s.judged);
  const label = (stage: string): string => {
    const load = stageLoad(stages.find((s) => s.stage === stage));
    return load === null
      ? stage
      : `${stage} (${Number(load.value.toPrecision(3))}${load.unit === 'rps' ? '/s' : ' VUs'})`;
  };
  const order = stages.map((s) => label(s.stage));
  const latencyPanel = `${latencyMetric} P95 (ms)`;
  const points: Point[] = [];
  for (const st of stages)
    for (const [cls, c] of Object.entries(st.classes)) {
      const p95 = c?.latency[latencyMetric]?.p95;
      if (p95 !== undefined) points.push({ step: label(st.stage), panel: latencyPanel, series: cls, value: p95 });
    }
  for (const col of columns) {
    const unit = SIGNALS[col.signal].unit;
    const panel = `${col.header} (${UNIT_TITLE[unit]})`;
    for (const [stage, s] of col.means)
      points.push({ step: label(stage), panel, series: 'server', value: unit === 'ratio' ? s.mean * 100 : s.mean });
  }
  const panels = [latencyPanel, ...columns.map((c) => `${c.header} (${UNIT_TITLE[SIGNALS[c.signal].unit]})`)];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'latency and the target’s own signals, per step',
    data: { values: points },
    spacing: 12,
    vconcat: panels.map((panel, i) => ({
      // the panel's name as its title: a long vertical axis title would stretch the panel
      title: { text: panel, fontSize: 11, fontWeight: 'normal' },
      width: CHART.width,
      height: Math.round(CHART.height / 2),
      transform: [{ filter: { field: 'panel', equal: panel } }],
      mark: { type: 'line', point: true },
      encoding: {
        x: {
          field: 'step',
          type: 'ordinal',
          sort: order,
          // one step axis, drawn under the last panel only
          ...(i === panels.length - 1 ? { title: 'step (offered load)', axis: { labelAngle: -30 } } : { axis: null }),
        },
        y: { field: 'value', type: 'quantitative', title: null },
        color: { field: 'series', type: 'nominal', title: null },
      },
    })),
  } as TopLevelSpec;
}
