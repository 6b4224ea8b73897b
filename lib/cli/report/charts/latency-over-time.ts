// Latency percentiles per time bucket (per class in a mixed run), with a rule and label where each stage starts.

import type { TopLevelSpec } from 'vega-lite';
import type { PercentilePoint } from '../data/latency.ts';
import { CHART } from './render.ts';

export function latencyOverTimeChart(
  metric: string,
  points: readonly PercentilePoint[],
  stages: readonly { stage: string; startS: number }[],
): TopLevelSpec | null {
  if (points.length === 0) return null;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `${metric}: percentiles over time`,
    width: CHART.width,
    height: CHART.height,
    layer: [
      {
        data: { values: points as PercentilePoint[] },
        mark: { type: 'line', point: points.length < 40 },
        encoding: {
          x: { field: 'tS', type: 'quantitative', title: 'time since start (s)' },
          y: { field: 'valueMs', type: 'quantitative', title: 'latency (ms)' },
          color: {
            field: 'series',
            type: 'nominal',
            title: 'percentile',
            sort: [...new Set(points.map((p) => p.series))],
          },
        },
      },
      {
        data: { values: stages as { stage: string; startS: number }[] },
        mark: { type: 'rule', strokeDash: [4, 3], color: '#888' },
        encoding: { x: { field: 'startS', type: 'quantitative' } },
      },
      {
        data: { values: stages as { stage: string; startS: number }[] },
        mark: { type: 'text', align: 'left', baseline: 'top', dx: 3, dy: 2, color: '#555', fontSize: 10 },
        encoding: { x: { field: 'startS', type: 'quantitative' }, y: { value: 0 }, text: { field: 'stage' } },
      },
    ],
  };
}
