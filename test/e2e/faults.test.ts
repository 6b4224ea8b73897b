// Faults end to end: the reference server on the sim engine with injected
// faults, measured by the real suite (bin/genload load, real k6). Injected 5xx
// errors and latency spikes make the SLO thresholds fail (exit 99) and the
// report names the cause (the error class, the latency metric); a simulated
// worker crash fails the requests it hits with a message, later requests
// succeed, and the metrics count it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startManagedServer } from '../../lib/cli/run/managed-server.ts';
import { ExitCode } from '../../lib/shared/exit-codes.ts';
import { runCli } from './harness.ts';

const tmp = mkdtempSync(join(tmpdir(), 'genload-faults-'));
/** fast sim costs: image 20 steps × 2 ms, text 5 ms prefill + 2 ms per token */
const fastSim = ['--sim.step-ms', '2', '--sim.token-ms', '2', '--sim.prefill-fixed-ms', '5'];

/** loose bounds: only the injected fault can break them */
const slo = (name: string, e2eP95Ms: number) => {
  const path = join(tmp, `${name}.json`);
  const cls = { e2eMs: { p95: e2eP95Ms }, errorRate: 0.05, minRequests: 1 };
  writeFileSync(path, JSON.stringify({ schemaVersion: 1, name, classes: { llm: cls, image: cls } }));
  return path;
};

/** runs the smoke scenario against a sim server with these fault flags; returns exit code and report.md */
async function loadAgainstFaults(name: string, faultArgs: string[], sloPath: string, loadArgs: string[] = []) {
  const server = await startManagedServer({
    engine: 'sim',
    logPath: join(tmp, `${name}-server.log`),
    extraArgs: [...fastSim, ...faultArgs],
    readyTimeoutMs: 60_000,
  });
  const results = join(tmp, `results-${name}`);
  try {
    const run = await runCli(
      [
        'load',
        '--scenario',
        'smoke',
        '--target',
        server.url,
        '--slo',
        sloPath,
        '--duration',
        '4s',
        '--vus',
        '2',
        '--results',
        results,
        ...loadArgs,
      ],
      { timeoutMs: 80_000 },
    );
    const folder = readdirSync(results).find((f) => statSync(join(results, f)).isDirectory())!;
    return { run, report: readFileSync(join(results, folder, 'report.md'), 'utf8') };
  } finally {
    await server.stop();
  }
}

/** report.md rows of the SLO table (bounds in words, one per line) that failed */
const failedRows = (report: string) => report.split('\n').filter((l) => l.startsWith('- ❌'));

test('injected errors (faults.error-rate 0.3): thresholds fail with exit 99, the report names 5xx errors and the error-rate threshold', async () => {
  // not streamed: k6/x/genload's client classifies each failure in Go
  const { run, report } = await loadAgainstFaults(
    'errors',
    ['--faults.error-rate', '0.3', '--faults.seed', '7'],
    slo('errors', 10_000),
    ['--stream', 'false'],
  );
  assert.equal(run.code, ExitCode.SloBreached, run.stderr);
  assert.match(report, /slo-breached/);
  const errorsTable = report.slice(report.indexOf('### Errors by type'));
  const fivexx = /\| 5xx \| (\d+) \| ([\d.]+) % \|/.exec(errorsTable);
  assert.ok(fivexx, `no 5xx row in:\n${report}`);
  const share = Number(fivexx[2]);
  assert.ok(share > 15 && share < 45, `5xx share ${share} % should be near the injected 30 %`);
  const failed = failedRows(report);
  assert.ok(
    failed.some((l) => / error rate /.test(l)),
    `no failed error-rate row:\n${failed.join('\n')}`,
  );
  assert.ok(!failed.some((l) => / e2e /.test(l)), `latency should hold:\n${failed.join('\n')}`);
});

test('injected latency spikes (half the requests + 1.5 s): thresholds fail with exit 99, the report names the e2e latency, no errors', async () => {
  const { run, report } = await loadAgainstFaults(
    'spikes',
    ['--faults.spike-probability', '0.5', '--faults.spike-ms', '1500', '--faults.seed', '3'],
    slo('spikes', 1000),
  );
  assert.equal(run.code, ExitCode.SloBreached, run.stderr);
  const failed = failedRows(report);
  assert.ok(
    failed.some((l) => / e2e /.test(l)),
    `no failed e2e latency row:\n${report}`,
  );
  assert.ok(!report.includes('### Errors by type'), 'spikes are not errors');
});

test('a sim worker crash: the requests it hits fail with a message, later requests succeed, the metrics count it', async () => {
  const server = await startManagedServer({
    engine: 'sim',
    logPath: join(tmp, 'crash-server.log'),
    // 4 slots, each completion 205 ms; the 6th request to start crashes the worker
    extraArgs: [
      '--sim.slots',
      '4',
      '--sim.token-ms',
      '10',
      '--sim.prefill-fixed-ms',
      '5',
      '--faults.crash-after-requests',
      '6',
    ],
    readyTimeoutMs: 60_000,
  });
  try {
    const completion = async () => {
      const res = await fetch(`${server.url}/v1/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ prompt: 'crash', max_tokens: 20 }),
      });
      return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
    };
    const first = await Promise.all(Array.from({ length: 8 }, completion));
    const crashed = first.filter((r) => r.status !== 200);
    assert.ok(crashed.length >= 1, `the crash hit no request: ${JSON.stringify(first.map((r) => r.status))}`);
    for (const r of crashed) {
      assert.equal(r.status, 500);
      assert.equal(r.body.error?.code, 'worker_crashed');
      assert.match(r.body.error?.message ?? '', /crash/);
    }
    assert.ok(
      first.some((r) => r.status === 200),
      'requests that finished before the crash succeed',
    );
    const later = await Promise.all(Array.from({ length: 8 }, completion));
    assert.deepEqual(
      later.map((r) => r.status),
      Array(8).fill(200),
      'after the crash the (replaced) worker serves again',
    );
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    assert.match(metrics, /^genload_worker_crashes_total 1$/m);
    assert.match(metrics, /genload_request_failures_total\{[^}]*code="worker_crashed"[^}]*\} [1-9]/);
  } finally {
    await server.stop();
  }
});
