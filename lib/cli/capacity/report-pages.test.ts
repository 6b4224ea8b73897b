import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replicaPlan } from './replica-plan.ts';
import { CAPACITY_SCHEMA_VERSION, curveOf, type CapacityReport, type StepRow } from './report.ts';
import { capacitySentence, renderCapacityMarkdown, renderCapacityReports } from './report-pages.ts';

function step(
  n: number,
  rate: number,
  verdict: 'pass' | 'fail',
  p95: number,
  purpose: StepRow['purpose'] = 'bisect',
): StepRow {
  return {
    step: n,
    purpose,
    dir: `step-${String(n).padStart(2, '0')}-${rate}rps`,
    startedAt: '2026-01-01T00:00:00.000Z',
    wallSeconds: 6,
    offeredRps: rate,
    measureSeconds: 4,
    achievedRps: verdict === 'pass' ? rate : rate * 0.8,
    requests: rate * 4,
    errorRate: 0,
    droppedIterations: 0,
    startLagP95Ms: 1,
    latency: { 'image.e2eMs': { p50Ms: p95 * 0.7, p95Ms: p95, p99Ms: p95 * 1.2, count: rate * 4 } },
    halvesP50Ms: { first: null, second: null },
    sloPassed: verdict === 'pass',
    verdict,
    valid: true,
    saturated: verdict === 'fail',
    reasons: verdict === 'pass' ? [] : [`image.e2eMs p95 ${p95} ms over the SLO`],
    k6ExitCode: verdict === 'pass' ? 0 : 99,
  };
}

function capacityReport(): CapacityReport {
  const steps = [
    step(1, 8, 'pass', 200, 'probe'),
    step(2, 16, 'fail', 900, 'bracket'),
    step(3, 12, 'pass', 300),
    step(4, 14, 'fail', 700),
    step(5, 12, 'pass', 310, 'confirm-pass'),
  ];
  return {
    schemaVersion: CAPACITY_SCHEMA_VERSION,
    tool: 'genload',
    kind: 'capacity',
    runId: '20260101T000000Z-capacity-diffusion',
    scenario: 'diffusion',
    target: { url: 'http://127.0.0.1:1', api: 'reference', managed: true },
    slo: { name: 'batch-image', path: null, bounds: 'step p95 < 500 ms, e2e p95 < 30 s' },
    settings: {},
    environment: {},
    startedAt: '2026-01-01T00:00:00.000Z',
    endedAt: '2026-01-01T00:01:00.000Z',
    status: 'found',
    message: 'sustainable 12 rps',
    exitCode: 0,
    result: {
      status: 'found',
      sustainableRps: 12,
      interval: { lowRps: 12, highRps: 14 },
      lowestProbedRps: 8,
      noisy: false,
      steps: 5,
      message: 'sustainable 12 rps',
    },
    steps,
    curve: curveOf(steps),
    plan: replicaPlan({
      sustainableRps: 12,
      outputTokensPerRequest: 0,
      imagesPerRequest: 1,
      peakRps: 50,
      headroomRatio: 0.2,
      pricePerHour: 2.5,
      unitsPerReplica: 1,
      currency: 'USD',
    }),
  };
}

test('capacity.html and capacity.md: the answer with its interval, the curve, the steps with links to their reports, the plan', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'genload-cap-'));
  const report = capacityReport();
  writeFileSync(join(dir, 'capacity.json'), JSON.stringify(report));
  // steps 1-4 have their k6 files; step 5's folder was lost
  for (const s of report.steps.slice(0, 4)) {
    mkdirSync(join(dir, s.dir));
    writeFileSync(
      join(dir, s.dir, 'summary.json'),
      JSON.stringify({
        scenario: 'capacity',
        validity: { valid: true, reasons: [] },
        slo: { name: 'batch-image', passed: s.verdict === 'pass', aborted: false, verdicts: [] },
        stages: [],
      }),
    );
  }
  const files = await renderCapacityReports(dir);
  assert.deepEqual(files, [join(dir, 'capacity.html'), join(dir, 'capacity.md')]);
  const sentence =
    'One replica sustains 12 requests/s inside the SLO batch-image (step p95 < 500 ms, e2e p95 < 30 s): it passed at 12 requests/s (confirmed) and failed at 14, so the limit lies in [12, 14] requests/s. The limit is the SLO: at 14 requests/s a bound broke (image.e2eMs p95 700 ms over the SLO).';
  assert.equal(capacitySentence(report), sentence);
  const html = readFileSync(files[0]!, 'utf8');
  assert.ok(html.includes(`<p class="answer" id="answer">${sentence.replace(/</g, '&lt;')}</p>`));
  assert.match(html, /data-plot="capacity-curve"><svg[^>]*>.*?<path/s);
  assert.match(html, /<a href="step-03-12rps\/report\.html">report<\/a>/);
  assert.ok(existsSync(join(dir, 'step-03-12rps', 'report.html')), "each step's own report is rendered");
  assert.match(html, /5 replicas|replicas for 50 requests\/s peak/);
  const md = readFileSync(files[1]!, 'utf8');
  assert.match(md, /^## genload capacity diffusion: found\n\n\*\*One replica sustains 12 requests\/s/);
  assert.match(
    md,
    /\| 4 \| bisect \| 14 \| 11\.2 \| 56 \| 0\.0 % \| 490 \| 700 \| 840 \| fail \| image\.e2eMs p95 700 ms over the SLO \| \[report\]\(step-04-14rps\/report\.html\) \|/,
  );
  assert.match(md, /\| 5 \| confirm-pass \| 12 \| .* \| pass \| - \| - \|$/m, 'a step without its files has no link');
  assert.match(md, /peak 50 rps with 20 % headroom: 6 replicas/);
  assert.match(md, /per 1,000 requests 0\.06 USD/);
});

test('capacity sentence: no sustainable rate, and every rate passing', () => {
  const none = capacityReport();
  none.result = {
    status: 'none',
    sustainableRps: null,
    interval: { lowRps: null, highRps: 2 },
    lowestProbedRps: 2,
    noisy: false,
    steps: 1,
    message: '',
  };
  assert.equal(
    capacitySentence(none),
    'No sustainable rate: the SLO batch-image (step p95 < 500 ms, e2e p95 < 30 s) failed at every rate probed, down to 2 requests/s.',
  );
  const above = capacityReport();
  above.result = {
    status: 'above-max',
    sustainableRps: 40,
    interval: { lowRps: 40, highRps: null },
    lowestProbedRps: 8,
    noisy: true,
    steps: 3,
    message: '',
  };
  assert.match(
    capacitySentence(above),
    /^One replica sustains at least 40 requests\/s .* the limit lies above it \(raise MAX_RATE\)\. Some rate gave different verdicts/,
  );
  // LOAD_MODEL=closed: the levels are concurrencies, never requests/s
  const closed = { ...capacityReport(), loadModel: 'closed' as const };
  closed.result = {
    status: 'found',
    sustainableConcurrency: 12,
    interval: { lowConcurrency: 12, highConcurrency: 13 },
    lowestProbedConcurrency: 8,
    noisy: false,
    steps: 6,
    message: '',
  };
  assert.equal(
    capacitySentence(closed),
    'One replica sustains 12 concurrent requests inside the SLO batch-image (step p95 < 500 ms, e2e p95 < 30 s): it passed at 12 concurrent requests (confirmed) and failed at 13, so the limit lies in [12, 13] concurrent requests.',
  );
  // a closed-model search that passed at MAX_VUS: the knob is MAX_VUS, not MAX_RATE
  closed.result = { ...above.result, sustainableRps: 16, interval: { lowRps: 16, highRps: null } };
  assert.match(capacitySentence(closed), /at least 16 concurrent requests .* above it \(raise MAX_VUS\)\./);
  assert.doesNotMatch(capacitySentence(closed), /MAX_RATE/);
});

test('capacity sentence: a limit found by throughput saturation says so, not a latency bound', () => {
  const r = capacityReport();
  const at14 = r.steps.find((s) => s.offeredRps === 14)!;
  at14.sloPassed = true;
  at14.reasons = ['saturated: the target completed 11.2 of 14 rps offered (80.0 %)'];
  assert.match(
    capacitySentence(r),
    /so the limit lies in \[12, 14\] requests\/s\. The limit is throughput saturation, not a latency bound: every bound held at 14 requests\/s, but the target completed 11\.2 of 14 rps offered \(80\.0 %\)\.$/,
  );
  // an older capacity.json without the bounds names the profile alone
  delete r.slo.bounds;
  assert.match(capacitySentence(r), /inside the SLO batch-image: it passed/);
});

test('capacity.md says what the search cost: steps, wall time, the probe and its ceiling; the probe row in flight', () => {
  const { offeredRps: _offered, ...rest } = step(1, 128, 'fail', 4500, 'throughput-probe');
  const probeRow: StepRow = { ...rest, concurrency: 128 };
  const r = {
    ...capacityReport(),
    wallSeconds: 67.9,
    stepCount: 5,
    probe: { concurrency: 128, ceilingRps: 40 },
  };
  r.steps = [probeRow, ...r.steps.slice(1)];
  const md = renderCapacityMarkdown(r, new Set());
  assert.match(
    md,
    /- \*\*steps:\*\* 5 in 68 s \(a throughput probe at 128 concurrent requests measured 40 requests\/s\); target/,
  );
  assert.match(md, /\| 1 \| throughput-probe \| 128 in flight \|/);
  // files written before the search recorded its cost still render
  const old = capacityReport();
  assert.match(renderCapacityMarkdown(old, new Set()), /- \*\*steps:\*\* 5; target/);
});
