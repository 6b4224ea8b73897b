// The latency-throughput trade-off from a capacity search: latency and
// achieved throughput against offered load, the sustainable rate marked.

import type { TopLevelSpec } from 'vega-lite';
import type { Capacity } from '../../run-folder/capacity.ts';
import { CHART } from './render.ts';

/** The sustainable level as a green rule with its label; none when nothing was sustainable. */
function sustainableLayers(level: number | null | undefined, unit = 'rps'): TopLevelSpec[] {
  if (level === null || level === undefined) return [];
  const values = [{ x: level, label: `sustainable ${level} ${unit}` }];
  return [
    {
      data: { values },
      mark: { type: 'rule', color: '#2a9d3c', strokeWidth: 2 },
      encoding: { x: { field: 'x', type: 'quantitative' } },
    },
    {
      data: { values },
      mark: { type: 'text', align: 'left', baseline: 'top', dx: 4, dy: 4, color: '#2a9d3c' },
      encoding: { x: { field: 'x', type: 'quantitative' }, y: { value: 0 }, text: { field: 'label' } },
    },
  ] as unknown as TopLevelSpec[];
}

interface ThroughputPoint {
  offeredRps: number;
  achievedRps: number;
  verdict: string;
}

/** Achieved against offered, with the dotted "achieved = offered" diagonal when offered is a rate. */
function throughputLayers(
  points: readonly ThroughputPoint[],
  xTitle: string,
  yTitle: string,
  diagonal = true,
): TopLevelSpec[] {
  const max = Math.max(...points.map((p) => Math.max(p.offeredRps, p.achievedRps)));
  return [
    ...(diagonal
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
      data: { values: [...points] },
      mark: { type: 'point', filled: true, size: 60 },
      encoding: {
        x: { field: 'offeredRps', type: 'quantitative', title: xTitle },
        y: { field: 'achievedRps', type: 'quantitative', title: yTitle },
        color: {
          field: 'verdict',
          type: 'nominal',
          title: 'step verdict',
          scale: { domain: ['pass', 'fail', 'invalid', 'unknown'], range: ['#2a9d3c', '#d62728', '#ff7f0e', '#888'] },
        },
      },
    },
  ] as unknown as TopLevelSpec[];
}

export function latencyVsLoadChart(capacity: Capacity | undefined): TopLevelSpec | null {
  const values = (capacity?.points ?? []).flatMap((p) =>
    (['p50Ms', 'p95Ms', 'p99Ms'] as const)
      .filter((k) => p[k] !== null)
      .map((k) => ({ offeredRps: p.offeredRps, percentile: k.slice(0, 3), latencyMs: p[k], verdict: p.verdict })),
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
      ...sustainableLayers(capacity.sustainableRps),
    ],
  } as TopLevelSpec;
}

export function throughputVsLoadChart(capacity: Capacity | undefined): TopLevelSpec | null {
  const values = (capacity?.points ?? []).flatMap((p) =>
    p.achievedRps === null ? [] : [{ offeredRps: p.offeredRps, achievedRps: p.achievedRps, verdict: p.verdict }],
  );
  if (capacity === undefined || values.length === 0) return null;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'throughput vs offered load',
    width: CHART.width,
    height: CHART.height,
    layer: [
      ...throughputLayers(values, 'offered load (requests/s)', 'achieved throughput (responses/s)'),
      ...sustainableLayers(capacity.sustainableRps),
    ],
  } as TopLevelSpec;
}

/**
 * capacity.html's curve, from capacity.json itself: per latency key (the SLO's
 * first two), P50/P95/P99 of each step against the offered rate (solid) and
 * the achieved throughput (dashed); under it achieved against offered with the
 * "achieved = offered" diagonal; the sustainable rate as a green rule.
 */
/**
 * The parts of a capacity search's record (capacity.json, lib/cli/capacity/report.ts)
 * the curve chart draws: declared here so the report step needs nothing from the
 * capacity executor above it.
 */
export interface CapacityCurve {
  loadModel?: 'open' | 'closed';
  /** the sustainable level: requests/s, or (closed model) concurrent requests; null: none found */
  sustainable: number | null;
  curve: readonly {
    /** open model: the offered rate; closed model: absent, the level is `concurrency` */
    offeredRps?: number;
    concurrency?: number;
    achievedRps: number;
    verdict: string;
    latency: Record<string, { p50Ms: number; p95Ms: number; p99Ms: number }>;
  }[];
}

export function capacityCurveChart(report: CapacityCurve): TopLevelSpec | null {
  const keys = [...new Set(report.curve.flatMap((p) => Object.keys(p.latency)))].slice(0, 2);
  if (report.curve.length === 0) return null;
  // LOAD_MODEL=closed: the levels are concurrencies
  const closed = report.loadModel === 'closed';
  const ruleLayers = sustainableLayers(report.sustainable, closed ? 'concurrent' : 'rps');
  const panels = keys.map((key) => {
    const values = report.curve.flatMap((p) => {
      const l = p.latency[key];
      if (l === undefined) return [];
      return (['p50', 'p95', 'p99'] as const).flatMap((pct) => [
        ...(closed
          ? []
          : [{ load: p.offeredRps ?? 0, against: 'offered rate', percentile: pct, latencyMs: l[`${pct}Ms`] }]),
        { load: p.achievedRps, against: 'achieved throughput', percentile: pct, latencyMs: l[`${pct}Ms`] },
      ]);
    });
    return {
      title: `${key} per step (solid: vs offered rate, dashed: vs achieved throughput)`,
      width: CHART.width,
      height: CHART.height,
      layer: [
        {
          data: { values },
          mark: { type: 'line', point: true },
          encoding: {
            x: { field: 'load', type: 'quantitative', title: 'requests/s' },
            y: { field: 'latencyMs', type: 'quantitative', title: 'latency (ms)' },
            color: {
              field: 'percentile',
              type: 'nominal',
              scale: { domain: ['p50', 'p95', 'p99'], range: ['#4c78a8', '#f58518', '#d62728'] },
            },
            strokeDash: {
              field: 'against',
              type: 'nominal',
              title: 'x is',
              scale: {
                domain: ['offered rate', 'achieved throughput'],
                range: [
                  [1, 0],
                  [5, 3],
                ],
              },
            },
            detail: { field: 'against' },
          },
        },
        ...ruleLayers,
      ],
    };
  });
  const points = report.curve.map((p) => ({
    // the x axis: offered rate, or (closed model) concurrency
    offeredRps: p.offeredRps ?? p.concurrency ?? 0,
    achievedRps: p.achievedRps,
    verdict: p.verdict,
  }));
  panels.push({
    title: closed
      ? 'achieved throughput per concurrency'
      : 'achieved throughput vs offered rate (dotted: achieved = offered)',
    width: CHART.width,
    height: CHART.height - 40,
    layer: [
      ...throughputLayers(
        points,
        closed ? 'concurrent requests' : 'offered rate (requests/s)',
        'achieved (requests/s)',
        !closed,
      ),
      ...ruleLayers,
    ],
  } as never);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    vconcat: panels,
    resolve: { scale: { color: 'independent', strokeDash: 'independent' } },
  } as unknown as TopLevelSpec;
}
