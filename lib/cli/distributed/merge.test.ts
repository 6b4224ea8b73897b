import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { COUNTER, RATE, TAG, TREND } from '../../shared/metrics.ts';
import type { StageSummary, Summary } from '../../shared/summary.ts';
import { readSamples } from '../run-folder/samples.ts';
import { aggregate, trendStats } from './aggregate.ts';
import { mergeSummaries } from './merge-summary.ts';

// A seeded generator, so a failure can be replayed.
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

interface Point {
  metric: string;
  type: 'trend' | 'counter' | 'rate';
  value: number;
  tags: Record<string, string>;
}

/** One instance's k6 `--out json` file, gzip. */
function k6Json(points: readonly Point[]): Buffer {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const p of points) {
    if (!seen.has(p.metric)) {
      seen.add(p.metric);
      lines.push(
        JSON.stringify({
          type: 'Metric',
          metric: p.metric,
          data: { name: p.metric, type: p.type, contains: 'default', thresholds: [], submetrics: null },
        }),
      );
    }
    lines.push(
      JSON.stringify({
        type: 'Point',
        metric: p.metric,
        data: { time: '2026-01-01T00:00:00.000Z', value: p.value, tags: p.tags },
      }),
    );
  }
  return gzipSync(`${lines.join('\n')}\n`);
}

const tags = { [TAG.stage]: 'measure', [TAG.class]: 'llm', scenario: 'measure' };

/** Requests of one instance: skewed latencies that differ per instance, so averaging percentiles is visibly wrong. */
function instancePoints(seed: number, requests: number, scaleMs: number): Point[] {
  const rnd = lcg(seed);
  const out: Point[] = [];
  for (let i = 0; i < requests; i++) {
    const e2e = scaleMs * -Math.log(1 - rnd()); // exponential, heavy right tail
    const failed = rnd() < 0.05;
    out.push({ metric: TREND.e2eMs, type: 'trend', value: e2e, tags });
    out.push({ metric: COUNTER.requests, type: 'counter', value: 1, tags });
    out.push({ metric: RATE.errorRate, type: 'rate', value: failed ? 1 : 0, tags });
    out.push({ metric: TREND.e2eMs, type: 'trend', value: 10_000, tags: { ...tags, [TAG.stage]: 'warmup' } });
  }
  return out;
}

function stage(offeredRps: number, requests: number): StageSummary {
  return {
    stage: 'measure',
    judged: true,
    durationS: 10,
    offeredRps,
    achievedRps: requests / 10,
    requests,
    completed: true,
    classes: { llm: {} as never },
  };
}

function instanceSummary(requests: number, ok: boolean): Summary {
  return {
    schemaVersion: 1,
    tool: 'genload',
    scenario: 'smoke',
    runId: 'r',
    target: { url: 'http://127.0.0.1:1', api: 'reference', model: null },
    load: {},
    workload: {},
    durationMs: 10_000,
    // each instance alone is under-delivered: it sent its share of the offered rate
    validity: { valid: false, reasons: ['under 95 %'], notes: [], targetLimits: [], droppedIterations: 0, phases: [] },
    slo: {
      name: 'default',
      passed: ok,
      aborted: false,
      verdicts: [
        {
          stage: 'measure',
          class: 'llm',
          meaning: 'e2eMs p95 < 300 ms',
          metric: `${TREND.e2eMs}{class:llm,stage:measure}`,
          expression: 'p(95)<300',
          record: {
            stage: 'measure',
            class: 'llm',
            metric: 'e2eMs',
            statistic: 'p95',
            op: '<',
            bound: 300,
            unit: 'ms',
          },
          ok,
        },
        {
          stage: 'measure',
          class: 'llm',
          meaning: 'requests >= 1',
          metric: `${COUNTER.requests}{class:llm,stage:measure}`,
          expression: 'count>=1',
          record: {
            stage: 'measure',
            class: 'llm',
            metric: 'requests',
            statistic: 'count',
            op: '>=',
            bound: 1,
            unit: 'count',
          },
          ok: true,
        },
      ],
    },
    stages: [stage(60, requests)],
  };
}

test('merged percentiles equal those of the union of every instance sample, never an average of percentiles', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'genload-merge-'));
  const parts = [instancePoints(1, 211, 40), instancePoints(2, 187, 90), instancePoints(3, 202, 60)];
  // the merge reads concatenated gzip members, exactly as runSegments writes them
  const union = join(dir, 'samples.json.gz');
  writeFileSync(union, Buffer.concat(parts.map(k6Json)));
  const table = await readSamples(union);
  assert.equal(table.badLines, 0);

  const summary = mergeSummaries(
    [instanceSummary(211, true), instanceSummary(187, false), instanceSummary(202, true)],
    table,
  );
  const e2eUnion = parts
    .flat()
    .filter((p) => p.metric === TREND.e2eMs && p.tags[TAG.stage] === 'measure')
    .map((p) => p.value);
  const sorted = [...e2eUnion].sort((a, b) => a - b);
  const k6Percentile = (q: number): number => {
    const r = (q / 100) * (sorted.length - 1);
    const lo = sorted[Math.floor(r)] ?? 0;
    const hi = sorted[Math.ceil(r)] ?? 0;
    return lo + (hi - lo) * (r - Math.floor(r));
  };
  const merged = summary.stages[0]?.classes.llm?.latency[TREND.e2eMs];
  assert.ok(merged !== undefined);
  assert.equal(merged.count, 600);
  for (const [key, q] of [
    ['p50', 50],
    ['p90', 90],
    ['p95', 95],
    ['p99', 99],
  ] as const)
    assert.equal(merged[key], k6Percentile(q), key);
  assert.equal(merged.min, sorted[0]);
  assert.equal(merged.max, sorted[sorted.length - 1]);

  // the average of per-instance p95s is not the p95 of the run
  const perInstanceP95 = parts.map(
    (pts) =>
      trendStats(pts.filter((p) => p.metric === TREND.e2eMs && p.tags[TAG.stage] === 'measure').map((p) => p.value))
        ?.p95 ?? 0,
  );
  const averaged = perInstanceP95.reduce((a, v) => a + v, 0) / perInstanceP95.length;
  assert.ok(Math.abs(averaged - merged.p95) > 1, `averaged ${averaged} vs exact ${merged.p95}`);

  // counts are sums; the error rate is the share over all requests
  const st = summary.stages[0];
  assert.equal(st?.requests, 600);
  const failures = parts.flat().filter((p) => p.metric === RATE.errorRate && p.value === 1).length;
  assert.equal(st?.classes.llm?.errorRate, failures / 600);

  // the SLO is judged again on the union: p95 of the merged data against 300 ms
  const p95Verdict = summary.slo.verdicts.find((v) => v.record?.metric === 'e2eMs' && v.record.statistic === 'p95');
  assert.equal(p95Verdict?.ok, merged.p95 < 300);
  assert.equal(summary.slo.passed, merged.p95 < 300);
  // together the instances delivered 600 of the offered 60 rps × 10 s
  assert.equal(summary.validity.valid, true, summary.validity.reasons.join('; '));
});

test('a merged stage short of the offered rate is invalid; instance aborts carry over', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'genload-merge-'));
  writeFileSync(join(dir, 's.json.gz'), k6Json(instancePoints(4, 100, 10)));
  const table = await readSamples(join(dir, 's.json.gz'));
  const a = instanceSummary(100, true);
  const b = { ...instanceSummary(0, true), slo: { ...instanceSummary(0, true).slo, aborted: true } };
  const summary = mergeSummaries([a, b], table);
  assert.equal(summary.validity.valid, false);
  assert.match(summary.validity.reasons.join(';'), /100 of 600 requests/);
  assert.equal(summary.slo.aborted, true);
});

test('aggregations follow k6 sinks: counter count sums values, counter rate is per second, rate is the non-zero share', () => {
  assert.equal(aggregate({ type: 'counter', values: [1, 2, 3] }, 'count', 2), 6);
  assert.equal(aggregate({ type: 'counter', values: [1, 2, 3] }, 'rate', 2), 3);
  assert.equal(aggregate({ type: 'rate', values: [1, 0, 0, 1] }, 'rate', 2), 0.5);
  assert.equal(aggregate({ type: 'trend', values: [3, 1, 2, 4] }, 'med', 0), 2.5);
  assert.equal(aggregate({ type: 'trend', values: [3, 1, 2, 4] }, 'p(90)', 0), 3.7);
  assert.equal(aggregate({ type: 'trend', values: [] }, 'p(95)', 0), 0);
  assert.equal(aggregate({ type: 'gauge', values: [5, 7] }, 'value', 0), 7);
  assert.throws(
    () => aggregate({ type: 'trend', values: [1] }, 'p95', 0),
    /aggregation: must be one of .* but is 'p95'/,
  );
});
