// Empirical CDFs of one or more series on one plot: a metric's distribution,
// a baseline overlay (compare), or one curve per stage (per-step latency).

import type { TopLevelSpec } from 'vega-lite';
import { CHART } from './render.ts';

export interface CdfSeries {
  series: string;
  points: readonly { value: number; fraction: number }[];
}

export function cdfChart(
  title: string,
  unit: string,
  series: readonly CdfSeries[],
  opts: { logX?: boolean } = {},
): TopLevelSpec | null {
  const values = series.flatMap((s) =>
    s.points.map((p) => ({ series: s.series, value: p.value, fraction: p.fraction })),
  );
  if (values.length === 0) return null;
  const positive = values.every((v) => v.value > 0);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: CHART.width,
    height: CHART.height,
    data: { values },
    mark: { type: 'line', interpolate: 'step-after' },
    encoding: {
      x: {
        field: 'value',
        type: 'quantitative',
        title: unit,
        scale: opts.logX === true && positive ? { type: 'log' } : { zero: false },
      },
      y: { field: 'fraction', type: 'quantitative', title: 'fraction of requests ≤ x', scale: { domain: [0, 1] } },
      color: { field: 'series', type: 'nominal', title: null },
    },
  };
}

/** A histogram of one sample (TTFT, ITL...). */
export function histogramChart(title: string, unit: string, values: readonly number[]): TopLevelSpec | null {
  if (values.length === 0) return null;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: CHART.width / 2 - 20,
    height: CHART.height - 40,
    data: { values: values.map((v) => ({ v })) },
    mark: { type: 'bar', color: '#4c78a8' },
    encoding: {
      x: { field: 'v', type: 'quantitative', bin: { maxbins: 40 }, title: unit },
      y: { aggregate: 'count', type: 'quantitative', title: 'samples' },
    },
  };
}
