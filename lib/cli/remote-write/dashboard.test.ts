import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../paths.ts';
import { COUNTER, K6_BUILTIN, RATE, TREND } from '../../shared/metrics.ts';
import { createMetrics } from '../../server/metrics/metrics.ts';
import { DEFAULT_TREND_STATS } from './remote-write.ts';

interface Panel {
  type: string;
  title: string;
  targets?: Array<{ expr: string }>;
}

const dashboard = JSON.parse(readFileSync(join(repoRoot, 'deploy/grafana/genload-dashboard.json'), 'utf8')) as {
  panels: Panel[];
  uid: string;
};

/** Series names k6's remote-write output gives genload's metrics: counters _total, rates _rate, trends _<stat>. */
function k6SeriesNames(): Set<string> {
  const stat = (s: string) => s.replace(/^p\((\d+)\)$/, 'p$1');
  const names = new Set<string>([
    'k6_vus',
    'k6_vus_max',
    `k6_${K6_BUILTIN.iterations}_total`,
    `k6_${K6_BUILTIN.droppedIterations}_total`,
  ]);
  for (const c of Object.values(COUNTER)) names.add(`k6_${c}_total`);
  for (const r of Object.values(RATE)) names.add(`k6_${r}_rate`);
  for (const t of Object.values(TREND)) for (const s of DEFAULT_TREND_STATS) names.add(`k6_${t}_${stat(s)}`);
  return names;
}

async function serverSeriesNames(): Promise<Set<string>> {
  const m = createMetrics({ gpuBinary: '' }) as unknown as {
    registry: { getMetricsAsJSON(): Promise<Array<{ name: string; type: string }>> };
  };
  const names = new Set<string>();
  for (const metric of await m.registry.getMetricsAsJSON()) {
    names.add(metric.name);
    if (metric.type === 'histogram')
      for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${metric.name}${suffix}`);
  }
  return names;
}

test('every dashboard query names a series that k6 remote write or the reference server produces', async () => {
  const known = new Set([...k6SeriesNames(), ...(await serverSeriesNames())]);
  const graphs = dashboard.panels.filter((p) => p.type === 'timeseries');
  assert.ok(graphs.length >= 10);
  let k6Side = 0;
  let serverSide = 0;
  for (const p of graphs) {
    for (const t of p.targets ?? []) {
      const series = [...t.expr.matchAll(/\b((?:k6|genload|process)_[a-z0-9_]+)\s*\{/g)].map((m) => m[1] ?? '');
      assert.ok(series.length > 0, `${p.title}: no series in ${t.expr}`);
      for (const s of series) assert.ok(known.has(s), `${p.title}: unknown series ${s}`);
      if (series.some((s) => s.startsWith('k6_'))) k6Side++;
      else serverSide++;
    }
  }
  assert.ok(k6Side > 5 && serverSide > 5, `k6 ${k6Side}, server ${serverSide}`);
});
