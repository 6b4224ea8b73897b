import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { TREND } from '../../shared/metrics.ts';
import { runCompare } from '../commands/compare.ts';
import { writeSyntheticRun } from '../../../test/fixtures/synthetic-run.ts';
import type { Comparison } from './compare-runs.ts';
import { compareMetric, higherIsBetter } from './metric-compare.ts';
import { normal, seededUniform } from '../../shared/stats/random.ts';
import { charAgreement, imageDifference, tokenAgreement } from './quality.ts';

test('compareMetric: verdicts for a clear shift, noise and tiny samples; throughput metrics are better higher', () => {
  const a = Array.from({ length: 200 }, (_, i) => 100 + (i % 20));
  const slower = a.map((x) => x * 1.3);
  assert.equal(compareMetric(TREND.e2eMs, a, slower).verdict, 'slower');
  assert.equal(compareMetric(TREND.e2eMs, slower, a).verdict, 'faster');
  assert.equal(compareMetric(TREND.e2eMs, a, [...a].reverse()).verdict, 'no significant change');
  assert.equal(compareMetric(TREND.outputTokensPerS, a, slower).verdict, 'faster');
  assert.equal(compareMetric(TREND.e2eMs, [1, 2], [3, 4]).verdict, 'not enough samples');
  assert.equal(compareMetric(TREND.e2eMs, [], [3, 4]).stats.p50, undefined);
  assert.ok(higherIsBetter('genload_output_tokens_per_s{class:llm}'));
  assert.ok(!higherIsBetter(TREND.ttftMs));
});

test('compareMetric: a candidate whose P99 doubled while P50 is unchanged is slower; a tail improvement alone is faster', () => {
  const u = seededUniform(7);
  const base = Array.from({ length: 3000 }, () => 100 * Math.exp(0.2 * normal(u)));
  // the slowest 2 % take twice as long (a queueing tail), the rest is untouched
  const cut = [...base].sort((x, y) => x - y)[Math.floor(base.length * 0.98)]!;
  const cand = base.map((x) => (x >= cut ? x * 2 : x));
  const c = compareMetric(TREND.e2eMs, base, cand);
  assert.ok(
    Math.abs(c.stats.p50!.relative) < 1e-9 && c.stats.p99!.relative > 0.9,
    `p50 ${c.stats.p50!.relative}, p99 ${c.stats.p99!.relative}`,
  );
  assert.deepEqual(c.statVerdicts, { p50: 'no change', p95: 'no change', p99: 'worse' });
  assert.equal(c.verdict, 'slower');
  assert.equal(compareMetric(TREND.e2eMs, cand, base).verdict, 'faster');
  // too few samples for a P99 verdict: the tail is not judged
  assert.equal(compareMetric(TREND.e2eMs, base.slice(0, 60), cand.slice(0, 60)).statVerdicts.p99, 'too few samples');
});

test('compareMetric: serially dependent samples (queueing) of one process are no significant change; the block length shows the dependence', () => {
  const ar = (seed: number): number[] => {
    const u = seededUniform(seed);
    let x = 0;
    return Array.from({ length: 1500 }, () => (x = 0.97 * x + (u() - 0.5) * 30) + 200);
  };
  const verdicts = [1, 2, 3, 4].map((seed) => compareMetric(TREND.e2eMs, ar(seed), ar(seed + 10)));
  for (const v of verdicts) assert.equal(v.verdict, 'no significant change', JSON.stringify(v.stats.p50));
  assert.ok((verdicts[0]!.blocks?.base ?? 0) > 10);
});

test('quality: PSNR and token agreement', () => {
  assert.equal(imageDifference(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3])).psnrDb, Number.POSITIVE_INFINITY);
  const d = imageDifference(new Uint8Array([0, 0, 0, 0]), new Uint8Array([10, 10, 10, 10]));
  assert.ok(Math.abs(d.psnrDb - 20 * Math.log10(255 / 10)) < 1e-9);
  assert.equal(d.meanAbsDiff, 10);
  assert.equal(tokenAgreement('a b c d', 'a b x d'), 0.75);
  assert.equal(tokenAgreement('a b', 'a b c d'), 0.5);
  assert.equal(tokenAgreement('', ''), 1);
  assert.deepEqual(charAgreement('3O~>@]MYR', '3O~>@]NAH'), { charAgreement: 6 / 9, commonPrefixChars: 6 });
  assert.deepEqual(charAgreement('abc', 'abc'), { charAgreement: 1, commonPrefixChars: 3 });
  assert.deepEqual(charAgreement('ab', 'abcd'), { charAgreement: 0.5, commonPrefixChars: 2 });
  assert.deepEqual(charAgreement('', ''), { charAgreement: 1, commonPrefixChars: 0 });
});

test('compare command: fp32-vs-int8 style runs, warm-up excluded, outputs compared, three files in a new folder', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'genload-cmp-'));
  const png = (v: number) =>
    sharp({ create: { width: 16, height: 16, channels: 3, background: { r: v, g: v, b: v } } })
      .png()
      .toBuffer();
  const base = writeSyntheticRun(dir, {
    runId: '20260101T000000Z-fp32',
    seed: 1,
    requests: 20,
    warmupRequests: 5,
    medianMs: 200,
    sigma: 0.1,
    outputs: { '0.png': await png(100), '0.txt': 'the cat sat' },
  });
  const cand = writeSyntheticRun(dir, {
    runId: '20260101T010000Z-int8',
    seed: 2,
    requests: 20,
    warmupRequests: 5,
    medianMs: 100,
    sigma: 0.1,
    outputs: { '0.png': await png(104), '0.txt': 'the cat ran' },
  });
  let printed = '';
  await runCompare({ base, cand, results: dir }, { out: (t) => (printed += t), now: new Date(Date.UTC(2026, 0, 2)) });
  assert.match(printed, /written to .*-compare/);
  const folder = readdirSync(dir).find((d) => d.endsWith('-compare'));
  assert.ok(folder !== undefined);
  const c = JSON.parse(readFileSync(join(dir, folder, 'compare.json'), 'utf8')) as Comparison;
  const e2e = c.metrics.find((m) => m.metric === TREND.e2eMs)!;
  assert.equal(e2e.baseCount, 20); // warm-up excluded
  assert.equal(e2e.verdict, 'faster');
  assert.ok(e2e.stats.p50!.relative < -0.4 && e2e.stats.p50!.relative > -0.6);
  assert.equal(c.quality?.images.length, 1);
  assert.ok(Math.abs((c.quality?.meanPsnrDb ?? 0) - 20 * Math.log10(255 / 4)) < 0.01);
  assert.ok(Math.abs((c.quality?.meanTokenAgreement ?? 0) - 2 / 3) < 1e-9);
  assert.match(c.summary, /faster.*dB PSNR.*token agreement/);
  const md = readFileSync(join(dir, folder, 'compare.md'), 'utf8');
  assert.match(md, /\| genload_e2e_ms \| mean \|/);
  const html = readFileSync(join(dir, folder, 'compare.html'), 'utf8');
  assert.match(html, /data-plot="cdf-genload_e2e_ms"><svg/);
});

test('mixed runs are compared per class: only the image class got faster', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'genload-cmp-'));
  const base = writeSyntheticRun(dir, {
    runId: '20260101T000000Z-base',
    seed: 1,
    requests: 300,
    medianMs: 50,
    sigma: 0.1,
    mixed: { llmShare: 0.5, imageFactor: 8 },
  });
  const cand = writeSyntheticRun(dir, {
    runId: '20260101T010000Z-cand',
    seed: 2,
    requests: 300,
    medianMs: 50,
    sigma: 0.1,
    mixed: { llmShare: 0.5, imageFactor: 4 },
  });
  let printed = '';
  await runCompare({ base, cand, results: dir }, { out: (t) => (printed += t) });
  const folder = readdirSync(dir).find((d) => d.endsWith('-compare'))!;
  const c = JSON.parse(readFileSync(join(dir, folder, 'compare.json'), 'utf8')) as Comparison;
  const e2e = c.metrics.filter((m) => m.metric === TREND.e2eMs);
  assert.deepEqual(
    e2e.map((m) => [m.class, m.verdict]),
    [
      ['image', 'faster'],
      ['llm', 'no significant change'],
    ],
  );
  assert.ok(
    e2e.every((m) => m.baseCount > 100 && m.baseCount < 200),
    'each class has its own half of the samples',
  );
  assert.match(c.summary, /genload_e2e_ms\{class:image\}: faster.*genload_e2e_ms\{class:llm\}: no significant change/);
  assert.match(printed, /\| genload_e2e_ms\{class:llm\} \| mean \|/);
  const html = readFileSync(join(dir, folder, 'compare.html'), 'utf8');
  assert.match(html, /data-plot="cdf-genload_e2e_ms-image"><svg/);
});
