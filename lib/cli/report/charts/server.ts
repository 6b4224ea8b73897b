// Plots from the target's own metrics and the monitors: throughput against
// batch size, queue depth over time, CPU/GPU utilisation and memory over time.

import type { TopLevelSpec } from 'vega-lite';
import type { Monitors } from '../../run-folder/monitors.ts';
import type { ServerInterval } from '../data/server-rates.ts';
import { CHART } from './render.ts';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

export function throughputVsBatchChart(intervals: readonly ServerInterval[]): TopLevelSpec | null {
  const values = intervals.flatMap((i) => {
    if (i.batchSizeMean === null) return [];
    const tput = i.tokensPerS ?? i.imagesPerS ?? i.requestsPerS;
    const unit = i.tokensPerS !== null ? 'tokens/s' : i.imagesPerS !== null ? 'images/s' : 'requests/s';
    return tput === null ? [] : [{ batch: i.batchSizeMean, throughput: tput, unit, tS: i.tS }];
  });
  if (values.length === 0) return null;
  return {
    $schema: SCHEMA,
    title: `server throughput vs mean batch size (per ${values.length > 1 ? 'scrape interval' : 'interval'})`,
    width: CHART.width,
    height: CHART.height,
    data: { values },
    mark: { type: 'point', filled: true, opacity: 0.7 },
    encoding: {
      x: {
        field: 'batch',
        type: 'quantitative',
        title: 'mean batch size (items per model call)',
        scale: { zero: false },
      },
      y: { field: 'throughput', type: 'quantitative', title: values[0]?.unit ?? 'throughput' },
      color: { field: 'tS', type: 'quantitative', title: 'time (s)' },
    },
  };
}

/** A line per series over run time: the shape every monitor chart shares. */
function seriesOverTime(
  title: string,
  height: number,
  values: readonly Record<string, unknown>[],
  yField: string,
  yTitle: string,
  step = false,
): TopLevelSpec {
  return {
    $schema: SCHEMA,
    title,
    width: CHART.width,
    height,
    data: { values: [...values] },
    mark: step ? { type: 'line', interpolate: 'step-after' } : 'line',
    encoding: {
      x: { field: 'tS', type: 'quantitative', title: 'time (s)' },
      y: { field: yField, type: 'quantitative', title: yTitle },
      color: { field: 'series', type: 'nominal', title: null },
    },
  };
}

export function queueChart(intervals: readonly ServerInterval[]): TopLevelSpec | null {
  const values = intervals.flatMap((i) => [
    ...(i.waiting !== null ? [{ tS: i.tS, series: 'waiting', n: i.waiting }] : []),
    ...(i.running !== null ? [{ tS: i.tS, series: 'running', n: i.running }] : []),
  ]);
  if (values.length === 0) return null;
  return seriesOverTime('server queue: requests waiting and running', CHART.height - 60, values, 'n', 'requests', true);
}

export function utilisationChart(m: Monitors | undefined): TopLevelSpec | null {
  if (m === undefined) return null;
  const t0 = Date.parse(m.startedAt);
  const values = [
    ...m.process.map((p) => ({
      tS: (p.tMs - t0) / 1000,
      series: 'target process (% of one core)',
      percent: p.cpuPercent,
    })),
    ...m.host.map((p) => ({ tS: (p.tMs - t0) / 1000, series: 'machine CPU (% of all cores)', percent: p.cpuPercent })),
    ...m.gpuSeries.map((p) => ({
      tS: (p.tMs - t0) / 1000,
      series: `GPU ${p.index} utilisation`,
      percent: p.utilPercent,
    })),
  ];
  if (values.length === 0) return null;
  return seriesOverTime(
    m.gpu.available ? 'CPU and GPU utilisation' : 'CPU utilisation (no GPU: nvidia-smi absent)',
    CHART.height - 40,
    values,
    'percent',
    'percent',
  );
}

export function memoryChart(m: Monitors | undefined): TopLevelSpec | null {
  if (m === undefined) return null;
  const t0 = Date.parse(m.startedAt);
  const mib = 1024 * 1024;
  const values = [
    ...m.process.map((p) => ({ tS: (p.tMs - t0) / 1000, series: 'target process RSS', mib: p.rssBytes / mib })),
    ...m.host.map((p) => ({ tS: (p.tMs - t0) / 1000, series: 'machine used', mib: p.memUsedBytes / mib })),
    ...m.gpuSeries.map((p) => ({
      tS: (p.tMs - t0) / 1000,
      series: `GPU ${p.index} memory`,
      mib: p.memUsedBytes / mib,
    })),
  ];
  if (values.length === 0) return null;
  return seriesOverTime('memory', CHART.height - 40, values, 'mib', 'MiB');
}

export function errorsChart(errors: readonly { type: string; count: number }[]): TopLevelSpec | null {
  if (errors.length === 0) return null;
  return {
    $schema: SCHEMA,
    title: 'failed requests by type',
    width: CHART.width / 2,
    height: Math.max(40, errors.length * 22),
    data: { values: errors as { type: string; count: number }[] },
    mark: { type: 'bar', color: '#d62728' },
    encoding: {
      y: { field: 'type', type: 'nominal', title: null, sort: '-x' },
      x: { field: 'count', type: 'quantitative', title: 'requests' },
    },
  };
}
