// Capacity search end to end, short: real k6 against the reference server on
// the sim engine with known capacity (bench/capacity/sim-fixture.ts). The
// interval found must sit at the known capacity within tolerance, capacity.json
// must be complete, and an SLO no request can meet must exit 6.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode } from '../../lib/shared/exit-codes.ts';
import type { CapacityReport } from '../../lib/cli/capacity/report.ts';
import {
  IMPOSSIBLE_SLO,
  KNOWN_CAPACITY_RPS,
  simWorkloadFlags,
  startSimServer,
} from '../../bench/capacity/sim-fixture.ts';
import { runCli } from './harness.ts';

const flagArgs = (flags: Record<string, string>): string[] => Object.entries(flags).flatMap(([k, v]) => [`--${k}`, v]);

function readReport(results: string): { dir: string; report: CapacityReport } {
  const [folder, ...rest] = readdirSync(results).filter((f) => !f.endsWith('.log'));
  assert.equal(rest.length, 0, 'one run folder per search');
  assert.match(folder ?? '', /^\d{8}T\d{6}Z-capacity-diffusion$/);
  const dir = join(results, folder ?? '');
  return { dir, report: JSON.parse(readFileSync(join(dir, 'capacity.json'), 'utf8')) as CapacityReport };
}

test(
  'capacity search finds the sim capacity, writes capacity.json, and exits 6 when no rate can pass',
  { timeout: 150_000 },
  async () => {
    const logs = mkdtempSync(join(tmpdir(), 'genload-e2e-capacity-'));
    const server = await startSimServer(join(logs, 'server.log'));
    try {
      // A short search: a throughput probe (128 in flight), then 1 s warm-up + 2-4 s measured per step, 6 % tolerance.
      const results = mkdtempSync(join(tmpdir(), 'genload-e2e-capacity-'));
      const run = await runCli(
        [
          'capacity',
          ...flagArgs({
            ...simWorkloadFlags(server.url),
            rate: '8',
            duration: '4',
            warmup: '1',
            tolerance: '6%',
            'max-steps': '12',
            'time-budget': '100s',
            results,
          }),
        ],
        { timeoutMs: 120_000 },
      );
      assert.equal(run.code, ExitCode.Passed, run.stderr);
      assert.match(
        run.stderr,
        // a short probe's requests may all still be queued at its end: its latency is then unknown, its ceiling not
        /step 1 throughput-probe 128 concurrent requests: achieved [\d.]+ rps, (image\.e2eMs p95 \d+ ms|no latency measured), errors [\d.]+ % -> ceiling [\d.]+ rps/,
      );
      assert.match(run.stderr, /step 2 ceiling [\d.]+ rps: achieved .* \| \d+(\.\d)? s window \(full: /);

      const { dir, report } = readReport(results);
      assert.equal(report.schemaVersion, 1);
      assert.equal(report.kind, 'capacity');
      assert.equal(report.status, 'found');
      const result = report.result!;
      assert.ok('sustainableRps' in result, 'an open-model search answers with a rate');
      const { lowRps, highRps } = result.interval;
      // the interval holds the known capacity, within the search tolerance plus measurement slack
      assert.ok(lowRps !== null && highRps !== null, report.message);
      assert.ok(
        lowRps >= KNOWN_CAPACITY_RPS * 0.88 && lowRps <= KNOWN_CAPACITY_RPS * 1.06,
        `sustainable ${lowRps} rps, known ${KNOWN_CAPACITY_RPS}`,
      );
      assert.ok(
        highRps >= KNOWN_CAPACITY_RPS * 0.94 && highRps <= KNOWN_CAPACITY_RPS * 1.15,
        `lowest failure ${highRps} rps, known ${KNOWN_CAPACITY_RPS}`,
      );
      assert.equal(result.sustainableRps, lowRps);
      // the probe measured the ceiling near the known capacity; wall time and step count recorded
      const ceiling = report.probe?.ceilingRps ?? 0;
      assert.ok(ceiling > KNOWN_CAPACITY_RPS * 0.85 && ceiling < KNOWN_CAPACITY_RPS * 1.1, `ceiling ${ceiling}`);
      assert.equal(report.stepCount, report.steps.length);
      assert.ok(report.wallSeconds !== undefined && report.wallSeconds > 0 && report.wallSeconds < 100);
      assert.match(readFileSync(join(dir, 'capacity.md'), 'utf8'), /steps:\*\* \d+ in \d+ s/);
      // every step has a row with its own folder, and the curve covers them all but the probe
      assert.ok(report.steps.length >= 4);
      assert.equal(report.steps[0]!.purpose, 'throughput-probe');
      assert.equal(report.steps[0]!.concurrency, 128);
      assert.equal(report.steps[0]!.offeredRps, undefined);
      for (const row of report.steps) {
        assert.ok(existsSync(join(dir, row.dir, 'step.json')), `${row.dir}/step.json`);
        assert.ok(existsSync(join(dir, row.dir, 'summary.json')), `${row.dir}/summary.json`);
        assert.ok(['pass', 'fail', 'invalid'].includes(row.verdict));
        // the short probe's requests may all still be queued at its end: no latency to check there
        if (row.purpose !== 'throughput-probe')
          assert.ok(
            row.latency['image.e2eMs'] !== undefined &&
              row.latency['image.e2eMs'].p95Ms >= row.latency['image.e2eMs'].p50Ms,
            `${row.dir} latency`,
          );
        assert.equal(row.verdict === 'pass', row.reasons.length === 0);
      }
      assert.equal(report.curve.length, report.steps.length - 1);
      const offered = report.curve.map((p) => p.offeredRps ?? NaN);
      assert.deepEqual(
        offered,
        [...offered].sort((a, b) => a - b),
      );
      // the reported rate passed twice; images/s at that rate in the plan
      assert.ok(report.steps.filter((r) => r.offeredRps === lowRps && r.verdict === 'pass').length >= 2);
      assert.ok(report.plan !== null && Math.abs(report.plan.imagesPerSecond - lowRps) < 1e-6);
      // the pages say why the lowest failing step failed, from the server's own /metrics
      assert.match(
        readFileSync(join(dir, 'capacity.md'), 'utf8'),
        /^Why, from the target's own signals \(genload\) at step-\d+-[\d_]+rps: .+\.$/m,
      );

      // An SLO nothing can meet: one failing probe at the minimum rate, exit 6, capacity.json still written.
      const none = mkdtempSync(join(tmpdir(), 'genload-e2e-capacity-'));
      const bad = await runCli(
        [
          'capacity',
          ...flagArgs({
            ...simWorkloadFlags(server.url),
            slo: IMPOSSIBLE_SLO,
            rate: '2',
            'min-rate': '2',
            'probe-concurrency': '0',
            duration: '3',
            warmup: '1',
            results: none,
          }),
        ],
        { timeoutMs: 60_000 },
      );
      assert.equal(bad.code, ExitCode.NoSustainableRate, bad.stderr);
      assert.match(bad.stderr, /no sustainable rate at or above 2 rps/);
      const { report: noneReport } = readReport(none);
      assert.equal(noneReport.status, 'none');
      assert.ok(noneReport.result !== null && 'sustainableRps' in noneReport.result);
      assert.equal(noneReport.result.sustainableRps, null);
      assert.equal(noneReport.steps.length, 1);
      assert.equal(noneReport.steps[0]!.verdict, 'fail');
    } finally {
      await server.stop();
    }
  },
);

test(
  'LOAD_MODEL=closed searches the highest concurrency inside the SLO with the same stepper, and plans from its throughput',
  { timeout: 150_000 },
  async () => {
    const logs = mkdtempSync(join(tmpdir(), 'genload-e2e-capacity-closed-'));
    const server = await startSimServer(join(logs, 'server.log'));
    try {
      // 10 slots × 500 ms: throughput tops out at 20 rps; c requests in flight wait c / 20 s, so the SLO (p90 < 650 ms) holds up to about 12
      const results = mkdtempSync(join(tmpdir(), 'genload-e2e-capacity-closed-'));
      const run = await runCli(
        [
          'capacity',
          ...flagArgs({
            ...simWorkloadFlags(server.url),
            'load-model': 'closed',
            vus: '8',
            'max-vus': '32',
            duration: '4',
            warmup: '1',
            'max-steps': '12',
            'time-budget': '110s',
            results,
          }),
        ],
        { timeoutMs: 130_000 },
      );
      assert.equal(run.code, ExitCode.Passed, run.stderr);
      const { dir, report } = readReport(results);
      assert.equal(report.status, 'found', report.message);
      assert.match(report.message, /^sustainable concurrency \d+ concurrent requests/);
      assert.equal(report.loadModel, 'closed');
      assert.match(
        readFileSync(join(dir, 'capacity.md'), 'utf8'),
        /One replica sustains \d+ concurrent requests inside/,
      );
      // a concurrency under names that say so: no *Rps field holds it
      const result = report.result!;
      assert.ok('sustainableConcurrency' in result && !('sustainableRps' in result), JSON.stringify(result));
      const c = result.sustainableConcurrency!;
      assert.deepEqual(Object.keys(result.interval), ['lowConcurrency', 'highConcurrency']);
      assert.ok(Number.isInteger(c) && c >= 10 && c <= 13, `sustainable concurrency ${c}, expected about 12`);
      assert.ok(
        report.steps.every((r) => Number.isInteger(r.concurrency) && r.offeredRps === undefined),
        'whole numbers of concurrent requests, under a name that says so',
      );
      assert.equal(report.probe, null, 'no throughput probe in a closed-model search');
      assert.ok(report.curve.every((p) => p.offeredRps === undefined && Number.isInteger(p.concurrency)));
      assert.ok(
        report.steps.some((r) => r.verdict === 'fail'),
        'a concurrency above it failed',
      );
      assert.ok(existsSync(join(dir, report.steps[0]!.dir, 'summary.json')) && report.steps[0]!.dir.endsWith('vus'));
      // the plan's rate per replica is the throughput there, about 20 images/s
      assert.ok(
        report.plan !== null && report.plan.imagesPerSecond > 16 && report.plan.imagesPerSecond < 22,
        `throughput at ${c}: ${report.plan?.imagesPerSecond}`,
      );
    } finally {
      await server.stop();
    }
  },
);
