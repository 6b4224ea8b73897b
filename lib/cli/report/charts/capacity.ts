// The latency-throughput trade-off from a capacity search: latency and
// achieved throughput against offered load, the sustainable rate marked.

import type { TopLevelSpec } from 'vega-lite';
import type { Capacity } from '../../record/capacity.ts';
import { CHART } from './render.ts';

function sustainableLayers(capacity: Capacity): TopLevelSpec[] {
  if (capacity.sustainableRps === null) return [];
  const values = [{ x: capacity.sustainableRps, label: `sustainable ${capacity.sustainableRps} rps` }];
  return [
    { data: { values }, mark: { type: 'rule', color: '#2a9d3c', strokeWidth: 2 }, encoding: { x: { field: 'x', type: 'quantitative' } } },
    { data: { values }, mark: { type: 'text', align: 'left', baseline: 'top', dx: 4, dy: 4, color: '#2a9d3c' }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { value: 0 }, text: { field: 'label' } } },
  ] as unknown as TopLevelSpec[];
}

export function latencyVsLoadChart(capacity: Capacity | undefined): TopLevelSpec | null {
  const values = (capacity?.points ?? []).flatMap((p) =>
    (['p50Ms', 'p95Ms', 'p99Ms'] as const).filter((k) => p[k] !== null).map((k) => ({ offeredRps: p.offeredRps, percentile: k.slice(0, 3), latencyMs: p[k], verdict: p.verdict })),
  );
  if (capacity === undefined || values.length === 0) return null;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'latency vs offered load',
    width: CHART.width,
    height: CHART.height,
    layer: [
      {
        data: { values },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'offeredRps', type: 'quantitative', title: 'offered load (requests/s)' },
          y: { field: 'latencyMs', type: 'quantitative', title: 'latency (ms)' },
          color: { field: 'percentile', type: 'nominal', title: 'percentile' },
        },
      },
      ...sustainableLayers(capacity),
    ],
  } as TopLevelSpec;
}

export function throughputVsLoadChart(capacity: Capacity | undefined): TopLevelSpec | null {
  const values = (capacity?.points ?? []).filter((p) => p.achievedRps !== null).map((p) => ({ offeredRps: p.offeredRps, achievedRps: p.achievedRps, verdict: p.verdict }));
  if (capacity === undefined || values.length === 0) return null;
  const maxRps = Math.max(...values.map((v) => Math.max(v.offeredRps, v.achievedRps ?? 0)));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'throughput vs offered load',
    width: CHART.width,
    height: CHART.height,
    layer: [
      {
        data: { values: [{ x: 0, y: 0 }, { x: maxRps, y: maxRps }] },
        mark: { type: 'line', strokeDash: [2, 2], color: '#aaa' },
        encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
      },
      {
        data: { values },
        mark: { type: 'point', filled: true, size: 60 },
        encoding: {
          x: { field: 'offeredRps', type: 'quantitative', title: 'offered load (requests/s)' },
          y: { field: 'achievedRps', type: 'quantitative', title: 'achieved throughput (responses/s)' },
          color: { field: 'verdict', type: 'nominal', title: 'step verdict', scale: { domain: ['pass', 'fail', 'invalid', 'unknown'], range: ['#2a9d3c', '#d62728', '#ff7f0e', '#888'] } },
        },
      },
      ...sustainableLayers(capacity),
    ],
  } as TopLevelSpec;
}
