import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode } from '../../shared/exit-codes.ts';
import { runGate } from '../commands/gate.ts';
import { writeSyntheticRun } from '../../../test/fixtures/synthetic-run.ts';
import { rampSummary } from '../../../test/fixtures/ramp-summary.ts';
import { BASELINE_KIND, thin, type GateBaseline } from './baseline.ts';
import { checkSustainable, decideGate, DEFAULT_TOLERANCES } from './decide.ts';

const io = { out: () => {} };

function results(): string {
  return mkdtempSync(join(tmpdir(), 'genload-gate-'));
}

test('gate: a 20 % latency shift with enough samples fails with exit 7; its baseline file reproduces the verdict', async () => {
  const dir = results();
  const base = writeSyntheticRun(dir, {
    runId: '20260101T000000Z-base',
    seed: 1,
    requests: 600,
    warmupRequests: 30,
    medianMs: 100,
  });
  const cand = writeSyntheticRun(dir, {
    runId: '20260101T010000Z-cand',
    seed: 2,
    requests: 600,
    warmupRequests: 30,
    medianMs: 120,
  });
  const saved = join(dir, 'baseline.json');
  assert.equal(
    await runGate({ baseline: base, cand: base, results: dir, 'save-baseline': saved }, io),
    ExitCode.Passed,
  );
  assert.equal(await runGate({ baseline: base, cand, results: dir }, io), ExitCode.Regression);
  assert.equal(await runGate({ baseline: saved, cand, results: dir }, io), ExitCode.Regression);
  // with a 30 % tolerance the same shift is allowed
  assert.equal(await runGate({ baseline: base, cand, results: dir, 'p95-tolerance': '0.3' }, io), ExitCode.Passed);
  const gates = readdirSync(dir).filter((d) => d.endsWith('-gate') || /-gate-\d+$/.test(d));
  assert.equal(gates.length, 4);
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { entries: { kind: string }[] };
  assert.equal(index.entries.filter((e) => e.kind === 'gate').length, 4);
});

test('gate: two draws of the same distribution pass (several seeds), the default candidate is the latest run', async () => {
  const dir = results();
  const base = writeSyntheticRun(dir, {
    runId: '20260101T000000Z-base',
    seed: 11,
    requests: 600,
    medianMs: 100,
    errorRate: 0.01,
  });
  for (const seed of [12, 13, 14]) {
    writeSyntheticRun(dir, {
      runId: `20260101T0${seed}000Z-cand`,
      seed,
      requests: 600,
      medianMs: 100,
      errorRate: 0.01,
    });
    assert.equal(await runGate({ baseline: base, results: dir }, io), ExitCode.Passed, `seed ${seed}`);
  }
});

test('gate: error rate needs both the tolerance and significance; bad input is a config error', async () => {
  const mk = (failures: number, requests: number): GateBaseline => ({
    kind: BASELINE_KIND,
    schemaVersion: 1,
    runId: 'x',
    latencyMetric: 'm',
    latenciesMs: [],
    requests,
    failures,
    sustainableRps: null,
    searchResolutionRps: null,
  });
  const check = (a: GateBaseline, b: GateBaseline) =>
    decideGate(a, b).checks.find((c) => c.name === 'error-rate')!.status;
  assert.equal(check(mk(5, 1000), mk(60, 1000)), 'regression');
  assert.equal(check(mk(5, 1000), mk(12, 1000)), 'pass'); // below the 1 pp tolerance
  assert.equal(check(mk(0, 20), mk(1, 20)), 'pass'); // 5 pp, but one failure in 20 is no evidence
  await assert.rejects(runGate({ results: results() }), /baseline: must name/);
  await assert.rejects(runGate({ baseline: '/nonexistent/x', results: results() }), /does not exist/);
});

test('gate: sustainable rate regresses only beyond tolerance and the search resolution', () => {
  const mk = (rps: number | null, res: number | null): GateBaseline => ({
    kind: BASELINE_KIND,
    schemaVersion: 1,
    runId: 'x',
    latencyMetric: 'm',
    latenciesMs: [],
    requests: 0,
    failures: 0,
    sustainableRps: rps,
    searchResolutionRps: res,
  });
  assert.equal(checkSustainable(mk(10, 0.5), mk(8, 0.5), DEFAULT_TOLERANCES).status, 'regression');
  assert.equal(checkSustainable(mk(10, 0.5), mk(9.5, 0.5), DEFAULT_TOLERANCES).status, 'pass');
  assert.equal(checkSustainable(mk(10, 3), mk(8, 3), DEFAULT_TOLERANCES).status, 'pass'); // within the search's resolution
  assert.equal(checkSustainable(mk(null, null), mk(8, 1), DEFAULT_TOLERANCES).status, 'skipped');
});

test('thin keeps the order and the distribution: first, last and middle survive', () => {
  const xs = Array.from({ length: 20001 }, (_, i) => i);
  const t = thin([...xs].reverse(), 101);
  assert.equal(t.length, 101);
  assert.deepEqual([t[0], t[50], t[100]], [20000, 10000, 0], 'time order kept');
});

test('gate on a ramp: a candidate that aborts one step earlier fails on its highest passing rate, whatever its pooled P95', async () => {
  const dir = results();
  // the candidate's samples are faster overall (it never ran the slow step), which a pooled P95 would reward
  const base = writeSyntheticRun(dir, { runId: '20260101T000000Z-ramp-base', seed: 1, requests: 600, medianMs: 200 });
  const cand = writeSyntheticRun(dir, { runId: '20260101T010000Z-ramp-cand', seed: 2, requests: 600, medianMs: 150 });
  writeFileSync(join(base, 'summary.json'), JSON.stringify(rampSummary()));
  const early = rampSummary();
  early.slo!.highestPassingRps = 1;
  for (const v of early.slo!.verdicts!) {
    if (v.stage === 'step-02' && v.expression === 'p(95)<100') v.ok = false;
    if (v.stage === 'step-03') Object.assign(v, { ok: false, notReached: true });
  }
  early.stages = early.stages!.filter((s) => s.stage !== 'step-03');
  writeFileSync(join(cand, 'summary.json'), JSON.stringify(early));
  let printed = '';
  assert.equal(
    await runGate({ baseline: base, cand, results: dir }, { out: (t) => (printed += t) }),
    ExitCode.Regression,
  );
  assert.match(
    printed,
    /\| highest-passing-rate \| ❌ regression \| 5\.75 \| 1\.00 \|.*passes up to 1 rps vs 5\.75 rps; the candidate first failed at step-02/,
  );
  assert.doesNotMatch(printed, /\| p95-latency \|/, 'no P95 pooled over steps');
  // the same ramp against itself run twice passes
  const again = writeSyntheticRun(dir, { runId: '20260101T020000Z-ramp-again', seed: 3, requests: 600, medianMs: 200 });
  writeFileSync(join(again, 'summary.json'), JSON.stringify(rampSummary()));
  assert.equal(await runGate({ baseline: base, cand: again, results: dir }, io), ExitCode.Passed);
});

test('gate: the first run of a fresh baseline says it has nothing to compare with instead of passing against itself', async () => {
  const dir = results();
  const run = writeSyntheticRun(dir, { runId: '20260101T000000Z-first', seed: 1, requests: 100, medianMs: 100 });
  const saved = join(dir, 'baseline.json');
  let printed = '';
  assert.equal(
    await runGate({ baseline: run, cand: run, results: dir, 'save-baseline': saved }, { out: (t) => (printed += t) }),
    ExitCode.Passed,
  );
  assert.match(printed, /nothing to compare with/);
  assert.doesNotMatch(printed, /✅ passed/);
  const folder = readdirSync(dir).find((d) => d.endsWith('-gate'))!;
  const gate = JSON.parse(readFileSync(join(dir, folder, 'gate.json'), 'utf8')) as {
    compared: boolean;
    checks: unknown[];
  };
  assert.deepEqual([gate.compared, gate.checks.length], [false, 0]);
  // the saved file is the same run: still nothing to compare with
  printed = '';
  await runGate({ baseline: saved, cand: run, results: dir }, { out: (t) => (printed += t) });
  assert.match(printed, /nothing to compare with/);
});
