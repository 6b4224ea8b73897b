import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { writeSyntheticRun } from '../../../test/fixtures/synthetic-run.ts';
import { readSamples } from '../run-folder/samples.ts';
import { renderJunit } from './junit.ts';
import { renderRunReports } from './render-run.ts';
import { rampSummary } from '../../../test/fixtures/ramp-summary.ts';

test('renderRunReports: html with every plot the data allows, markdown, junit and the index', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'genload-rep-'));
  writeSyntheticRun(dir, { runId: '20260101T000000Z-older', seed: 3, requests: 30, medianMs: 80 });
  // capacity.json as the capacity command writes it (the fields its schema checks, lib/cli/run-folder/capacity-record.ts)
  const rates = [2, 4, 8, 9];
  const latency = (r: number) => ({ 'llm.e2eMs': { p50Ms: 50 + r * 10, p95Ms: 100 + r * 10, p99Ms: 150 + r * 10 } });
  const capacity = {
    schemaVersion: 1,
    tool: 'genload',
    kind: 'capacity',
    runId: '20260101T010000Z-capacity',
    scenario: 'synthetic',
    startedAt: '2026-01-01T01:00:00.000Z',
    endedAt: '2026-01-01T01:10:00.000Z',
    status: 'found',
    message: 'sustainable 8 rps',
    exitCode: 0,
    result: { status: 'found', sustainableRps: 8, interval: { lowRps: 8, highRps: 9 } },
    steps: rates.map((r, k) => ({
      step: k + 1,
      dir: `step-0${k + 1}-${r}rps`,
      startedAt: '2026-01-01T01:00:00.000Z',
      offeredRps: r,
      achievedRps: Math.min(r, 8.5),
      latency: latency(r),
      verdict: r <= 8 ? 'pass' : 'fail',
    })),
    curve: rates.map((r) => ({
      offeredRps: r,
      achievedRps: Math.min(r, 8.5),
      verdict: r <= 8 ? 'pass' : 'fail',
      latency: latency(r),
    })),
  };
  const run = writeSyntheticRun(dir, {
    runId: '20260101T010000Z-synthetic',
    seed: 1,
    requests: 200,
    warmupRequests: 20,
    medianMs: 120,
    streaming: true,
    steps: 4,
    errorRate: 0.05,
    p95LimitMs: 150,
    monitors: true,
    capacity,
  });
  const { model } = await renderRunReports(run);
  const html = readFileSync(join(run, 'report.html'), 'utf8');
  for (const id of [
    'latency-over-time',
    'latency-vs-load',
    'throughput-vs-load',
    'latency-cdf',
    'ttft',
    'itl',
    'per-step',
    'throughput-vs-batch',
    'server-queue',
    'utilisation',
    'memory',
    'errors',
  ]) {
    assert.match(html, new RegExp(`data-plot="${id}"><svg[^>]*>.*?<path`, 's'), `plot ${id} missing or empty`);
  }
  assert.deepEqual(model.missing, [
    'knee: fewer than two steps of different load reached (one load level: see the numbers above)',
  ]);
  assert.doesNotMatch(html, /<script|https?:\/\/(?!127\.0\.0\.1|www\.w3\.org)/, 'report.html must be self-contained');
  const md = readFileSync(join(run, 'report.md'), 'utf8');
  assert.match(md, /slo-breached/);
  assert.match(md, /- ❌ genload_e2e_ms\{stage:measure\} p\(95\)<150: \d+\.\d, broken/);
  assert.match(md, /availability:\*\* 9\d\.\d\d %/);
  const junit = readFileSync(join(run, 'junit.xml'), 'utf8');
  assert.equal((junit.match(/<testcase /g) ?? []).length, 3);
  assert.equal((junit.match(/<failure /g) ?? []).length, 1);
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as {
    entries: { id: string; p95Ms: number | null; sustainableRps: number | null }[];
  };
  assert.deepEqual(
    index.entries.map((e) => e.id),
    ['20260101T010000Z-synthetic', '20260101T000000Z-older'],
  );
  assert.ok((index.entries[0]?.p95Ms ?? 0) > 120);
  assert.equal(index.entries[0]?.sustainableRps, 8);
  assert.match(
    readFileSync(join(dir, 'index.md'), 'utf8'),
    /\[report\.html\]\(20260101T010000Z-synthetic\/report\.html\)/,
  );
});

test('a run with only a summary renders, naming what it could not draw', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'genload-rep-'));
  const run = writeSyntheticRun(dir, { runId: '20260101T000000Z-bare', seed: 1, requests: 5, medianMs: 50 });
  writeFileSync(join(run, 'samples.json.gz'), gzipSync(''));
  const { model } = await renderRunReports(run, { updateIndex: false });
  assert.ok(model.missing.some((m) => m.startsWith('latency-over-time: no latency samples')));
  assert.ok(model.missing.some((m) => m.startsWith('utilisation: no monitors.json')));
});

test('samples reader keeps what it can of a truncated gzip and a broken last line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'genload-rep-'));
  const line = (v: number) =>
    JSON.stringify({
      metric: 'genload_e2e_ms',
      type: 'Point',
      data: { time: '2026-01-01T00:00:00.123456+00:00', value: v, tags: { stage: 'measure' } },
    });
  const body = Array.from({ length: 2000 }, (_, i) => line(i)).join('\n') + '\n{"metric":"genload_e2e_ms","ty';
  const gz = gzipSync(body);
  writeFileSync(join(dir, 'cut.json.gz'), gz.subarray(0, Math.floor(gz.length * 0.8)));
  writeFileSync(join(dir, 'whole.json.gz'), gz);
  const whole = await readSamples(join(dir, 'whole.json.gz'));
  assert.equal(whole.metrics.get('genload_e2e_ms')?.values.length, 2000);
  assert.equal(whole.badLines, 1);
  assert.equal(whole.metrics.get('genload_e2e_ms')?.tMs[0], Date.UTC(2026, 0, 1, 0, 0, 0, 123));
  const cut = await readSamples(join(dir, 'cut.json.gz'));
  assert.ok((cut.metrics.get('genload_e2e_ms')?.values.length ?? 0) > 100);
});

test('junit and markdown show thresholds of stages never reached as skipped, not failed', async () => {
  const rows = [
    {
      metric: 'genload_e2e_ms{class:llm,stage:step-02}',
      threshold: 'p(95)<100',
      ok: false,
      observed: 500,
      aggregate: 'p(95)',
    },
    {
      metric: 'genload_e2e_ms{class:llm,stage:step-03}',
      threshold: 'p(95)<100',
      ok: false,
      observed: null,
      aggregate: 'p(95)',
      notReached: true,
    },
  ];
  const xml = renderJunit({ runId: 'r', scenario: 'ramp', durationS: 1, slo: rows, validity: null });
  assert.match(xml, /tests="2" failures="1" errors="0" skipped="1"/);
  assert.match(
    xml,
    /stage:step-03\} p\(95\)&lt;100"><skipped message="not reached: the run stopped before this stage"\/>/,
  );
});

test('junit escapes names and marks an invalid run', () => {
  const xml = renderJunit({
    runId: 'r',
    scenario: 's',
    durationS: 1,
    slo: [{ metric: 'm{class:llm}', threshold: 'p(95)<5', ok: true, observed: 3, aggregate: 'p(95)' }],
    validity: { valid: false, reasons: ['dropped 5 % of iterations <fast>'] },
  });
  assert.match(xml, /name="m\{class:llm\} p\(95\)&lt;5"/);
  assert.match(xml, /type="run-invalid"/);
  assert.match(xml, /&lt;fast&gt;/);
  assert.match(xml, /tests="2" failures="1"/);
});

test('a mixed run: latency rows, cards and CDF curves per class, never pooled', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'genload-rep-'));
  const run = writeSyntheticRun(dir, {
    runId: '20260101T000000Z-mixed',
    seed: 4,
    requests: 300,
    medianMs: 50,
    sigma: 0.1,
    mixed: { llmShare: 0.5, imageFactor: 8 },
  });
  const { model } = await renderRunReports(run, { updateIndex: false });
  const e2e = model.distributions.filter((d) => d.metric === 'genload_e2e_ms');
  assert.deepEqual(
    e2e.map((d) => d.class),
    ['image', 'llm'],
  );
  const [image, llm] = e2e;
  assert.ok(image !== undefined && llm !== undefined);
  assert.equal(image.count + llm.count, 300);
  assert.ok(
    llm.p50 > 40 && llm.p50 < 60 && image.p50 > 320 && image.p50 < 480,
    `p50 llm ${llm.p50} image ${image.p50}`,
  );
  const md = readFileSync(join(run, 'report.md'), 'utf8');
  assert.match(md, /\| genload_e2e_ms \| image \| \d+ \|/);
  const html = readFileSync(join(run, 'report.html'), 'utf8');
  assert.match(html, /<code>genload_e2e_ms \(llm\)<\/code>/);
  const cdf = model.figures.find((f) => f.id === 'latency-cdf');
  assert.deepEqual(
    [...new Set((cdf?.spec as { data: { values: { series: string }[] } }).data.values.map((v) => v.series))],
    ['20260101T000000Z-mixed image (this run)', '20260101T000000Z-mixed llm (this run)'],
  );
});

test('a ramp report opens with the answer, then the steps and the knee plot; no pooled figures; steps not reached say so', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'genload-rep-'));
  const run = writeSyntheticRun(dir, {
    runId: '20260101T000000Z-ramp',
    seed: 5,
    requests: 100,
    medianMs: 600,
    streaming: true,
  });
  writeFileSync(join(run, 'summary.json'), JSON.stringify(rampSummary()));
  const { model } = await renderRunReports(run, { updateIndex: false });
  assert.ok(model.mixesLoad);
  assert.deepEqual(model.distributions, [], 'no latency table pooled over steps');
  assert.ok(model.missing.some((m) => m.startsWith('ttft: pooled over steps of different load')));
  const html = readFileSync(join(run, 'report.html'), 'utf8');
  const answer = html.indexOf(
    '<p class="answer" id="answer">The target sustains 5.75 requests/s inside the SLO interactive-chat (ITL p95 &lt; 100 ms, e2e p95 &lt; 8 s) and breaks at 10.5 requests/s (step-03: llm ITL p95 &lt; 100 ms: 103.7 ms, broken by 3.7 %).',
  );
  assert.ok(
    answer > 0 &&
      answer < html.indexOf('<table id="steps">') &&
      html.indexOf('<table id="steps">') < html.indexOf('data-plot="knee"'),
    'answer, then steps, then the knee plot',
  );
  assert.match(html, /data-plot="knee"><svg[^>]*>.*?<path/s);
  assert.match(html, /SLO p95 &lt; 100 ms/, 'the ITL bound is drawn on the knee plot');
  assert.match(html, /<td class="muted">not reached<\/td><td style="text-align:left">step-04 llm: not reached/);
  assert.doesNotMatch(html, /genload_samples\{/, 'guards that held are not listed');
  const md = readFileSync(join(run, 'report.md'), 'utf8');
  assert.match(md, /^## genload \w+: .*\n\n\*\*The target sustains 5\.75 requests\/s/);
  assert.match(
    md,
    /\| step-03 \| llm \| 10\.5\/s \| 10\.5 \| 210 \| 0 \(0\.0 %\) \| 600 \| 900 \| 1000 \| 104 \| 672 \| fail \|/,
  );
  assert.match(md, /- ⏭️ step-05 llm: not reached/);
  assert.doesNotMatch(md, /step-05.*pass/);
  const junit = readFileSync(join(run, 'junit.xml'), 'utf8');
  assert.match(junit, /skipped="8"/, 'every threshold of the two steps not reached is skipped');
});
