// With no SLO given, runs are judged by the default profile of each class they
// send, on P95 latency: diffusion by batch-image, llm-stream by
// interactive-chat, and `genload capacity` by the same; summary.txt, the
// report's answer and capacity.md name the profile with its bounds. Real k6
// against the reference server's sim engine (known latencies: a denoising step
// 20 ms, a token 10 ms; a second server with 600 ms steps breaks batch-image's
// step p95 < 500 ms). About 60 s on 2 cores.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CapacityReport } from '../../lib/cli/capacity/report.ts';
import { startManagedServer, type ManagedServer } from '../../lib/cli/run/managed-server.ts';
import { ExitCode } from '../../lib/shared/exit-codes.ts';
import type { Summary } from '../../lib/shared/summary.ts';
import { loadRun, runCli } from './harness.ts';

const work = mkdtempSync(join(tmpdir(), 'genload-e2e-default-slo-'));
let fast: ManagedServer;
let slowSteps: ManagedServer;

before(async () => {
  fast = await startManagedServer({ engine: 'sim', logPath: join(work, 'fast.log'), readyTimeoutMs: 60_000 });
  slowSteps = await startManagedServer({
    engine: 'sim',
    logPath: join(work, 'slow.log'),
    extraArgs: ['--sim.step-ms', '600'],
    readyTimeoutMs: 60_000,
  });
});
after(async () => {
  await fast?.stop();
  await slowSteps?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** The judged p95 latency bounds of a summary, as "class metric < bound". */
const p95Bounds = (s: Summary): string[] => [
  ...new Set(
    s.slo.verdicts
      .filter((v) => v.record?.unit === 'ms' && v.record.statistic === 'p95')
      .map((v) => `${v.record!.class} ${v.record!.metric} < ${v.record!.bound}`),
  ),
];

const answerOf = (dir: string): string =>
  /^\*\*(.*)\*\*$/m.exec(readFileSync(join(dir, 'report.md'), 'utf8'))?.[1] ?? '';

test('diffusion without SLO is judged by batch-image on P95 step and e2e latency, named with its bounds', async () => {
  const results = mkdtempSync(join(work, 'diffusion-'));
  const r = await loadRun({
    scenario: 'diffusion',
    target: fast.url,
    rate: '2',
    duration: '4',
    warmup: '1',
    steps: '4',
    size: '64',
    results,
  });
  assert.equal(r.code, ExitCode.Passed, r.stderr.slice(-2000));
  assert.equal(r.summary.slo.name, 'batch-image');
  assert.deepEqual(p95Bounds(r.summary).sort(), ['image e2eMs < 30000', 'image stepMs < 500']);
  assert.ok(r.summary.slo.verdicts.every((v) => v.ok));
  const config = JSON.parse(readFileSync(join(r.dir, 'config.json'), 'utf8')) as { sloPath: string };
  assert.equal(config.sloPath, 'thresholds/batch-image.json');
  const text = readFileSync(join(r.dir, 'summary.txt'), 'utf8');
  assert.match(text, /^slo batch-image \(step p95 < 500 ms, e2e p95 < 30 s\): passed$/m);
  assert.match(
    answerOf(r.dir),
    /^Passed the SLO batch-image \(step p95 < 500 ms, e2e p95 < 30 s\): image held every bound/,
  );
});

test('diffusion without SLO against 600 ms steps breaks batch-image on step p95: exit 99, the bound named', async () => {
  const results = mkdtempSync(join(work, 'slow-'));
  const r = await loadRun({
    scenario: 'diffusion',
    target: slowSteps.url,
    rate: '1',
    duration: '6',
    warmup: '1',
    steps: '2',
    size: '64',
    results,
  });
  assert.equal(r.code, ExitCode.SloBreached, r.stderr.slice(-2000));
  const broken = r.summary.slo.verdicts.filter((v) => !v.ok).map((v) => v.record);
  assert.deepEqual(
    broken.map((x) => [x?.metric, x?.statistic, x?.bound]),
    [['stepMs', 'p95', 500]],
  );
  assert.match(
    answerOf(r.dir),
    /^Failed the SLO batch-image \(step p95 < 500 ms, e2e p95 < 30 s\): image step p95 < 500 ms: 6\d\d(\.\d)? ms, broken by/,
  );
});

test('llm-stream without SLO is judged by interactive-chat on P95 TTFT, ITL, TPOT and e2e', async () => {
  const results = mkdtempSync(join(work, 'llm-'));
  const r = await loadRun({
    scenario: 'llm-stream',
    target: fast.url,
    rate: '3',
    duration: '5',
    warmup: '1',
    'max-tokens': '16',
    results,
  });
  assert.equal(r.code, ExitCode.Passed, r.stderr.slice(-2000));
  assert.equal(r.summary.slo.name, 'interactive-chat');
  assert.deepEqual(p95Bounds(r.summary).sort(), [
    'llm e2eMs < 8000',
    'llm itlMs < 100',
    'llm tpotMs < 75',
    'llm ttftMs < 500',
  ]);
  const words = 'interactive-chat (TTFT p95 < 500 ms, ITL p95 < 100 ms, TPOT p95 < 75 ms, e2e p95 < 8 s)';
  assert.ok(readFileSync(join(r.dir, 'summary.txt'), 'utf8').includes(`slo ${words}: passed`));
  assert.ok(answerOf(r.dir).startsWith(`Passed the SLO ${words}: llm held every bound`), answerOf(r.dir));
});

test('capacity without SLO searches inside interactive-chat, names it with its bounds, and advises MAX_RATE when no rate failed', async () => {
  const results = mkdtempSync(join(work, 'capacity-'));
  const run = await runCli(
    [
      'capacity',
      ...Object.entries({
        scenario: 'llm-stream',
        target: fast.url,
        rate: '4',
        'max-rate': '8',
        duration: '3',
        warmup: '1',
        'max-tokens': '16',
        'max-steps': '4',
        'time-budget': '60s',
        results,
      }).flatMap(([k, v]) => [`--${k}`, v]),
    ],
    { timeoutMs: 90_000 },
  );
  assert.equal(run.code, ExitCode.Passed, run.stderr.slice(-2000));
  const folder = readdirSync(results).find((f) => f.endsWith('-capacity-llm-stream'));
  assert.ok(folder !== undefined, readdirSync(results).join());
  const dir = join(results, folder);
  const report = JSON.parse(readFileSync(join(dir, 'capacity.json'), 'utf8')) as CapacityReport;
  assert.deepEqual(report.slo, {
    name: 'interactive-chat',
    path: 'thresholds/interactive-chat.json',
    bounds: 'TTFT p95 < 500 ms, ITL p95 < 100 ms, TPOT p95 < 75 ms, e2e p95 < 8 s',
  });
  // every step was judged on P95 latency
  for (const row of report.steps) {
    const step = JSON.parse(readFileSync(join(dir, row.dir, 'summary.json'), 'utf8')) as Summary;
    assert.equal(step.slo.name, 'interactive-chat');
    assert.ok(p95Bounds(step).includes('llm ttftMs < 500'), row.dir);
  }
  const md = readFileSync(join(dir, 'capacity.md'), 'utf8');
  assert.match(
    md,
    /\*\*One replica sustains at least 8 requests\/s inside the SLO interactive-chat \(TTFT p95 < 500 ms, ITL p95 < 100 ms, TPOT p95 < 75 ms, e2e p95 < 8 s\): every rate up to the search's maximum passed, so the limit lies above it \(raise MAX_RATE\)\./,
  );
});
