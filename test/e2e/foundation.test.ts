// The foundation path end to end: the CLI resolves config, bundles the smoke
// scenario, runs the real k6 against a real local HTTP JSON server and writes a
// run folder; bad input is refused before any load is sent.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../lib/cli/paths.ts';
import { ExitCode } from '../../lib/shared/exit-codes.ts';
import type { Summary } from '../../lib/shared/summary.ts';
import { json, runCli, runMake, startJsonServer } from './harness.ts';

const resultsDir = () => mkdtempSync(join(tmpdir(), 'genload-e2e-'));

test('make load SCENARIO=smoke TARGET=<local JSON endpoint> passes and writes a complete run folder', async () => {
  const server = await startJsonServer((_req, res) => json(res, 200, { ok: true }));
  const results = resultsDir();
  try {
    const run = await runMake([
      'load',
      'SCENARIO=smoke',
      'API=generic-json',
      `TARGET=${server.url}`,
      'READY_PATH=/health',
      'DURATION=3s',
      `RESULTS=${results}`,
    ]);
    assert.equal(run.code, ExitCode.Passed, `${run.stdout}\n${run.stderr}`);
    const [folder, ...rest] = readdirSync(results, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    assert.equal(rest.length, 0);
    assert.ok(existsSync(join(results, 'index.json')), 'results index updated');
    assert.match(folder ?? '', /^\d{8}T\d{6}Z-smoke$/);
    const dir = join(results, folder ?? '');
    for (const f of [
      'config.json',
      'environment.json',
      'summary.json',
      'summary.txt',
      'samples.json.gz',
      'dashboard.html',
      'k6.log',
      'run.json',
    ]) {
      assert.ok(existsSync(join(dir, f)), `${f} missing in ${dir}`);
      assert.ok(statSync(join(dir, f)).size > 0, `${f} is empty`);
    }
    const runRecord = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as {
      verdict: string;
      k6ExitCode: number;
    };
    assert.equal(runRecord.verdict, 'passed');
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Summary;
    assert.equal(summary.schemaVersion, 1);
    assert.equal(summary.validity.valid, true);
    assert.equal(summary.slo.passed, true);
    const reqs = summary.stages.reduce((n, s) => n + s.requests, 0);
    assert.ok(reqs >= 3, `expected several requests, got ${reqs}`);
    assert.ok(server.requests >= reqs, `server saw ${server.requests}, k6 counted ${reqs}`);
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as {
      target: { url: string };
      load: { durationSeconds: number };
    };
    assert.equal(config.target.url, server.url);
    assert.equal(config.load.durationSeconds, 3);
  } finally {
    await server.close();
  }
});

test('an endpoint answering 500 breaches the SLO: k6 exit 99 passes through', async () => {
  const server = await startJsonServer((_req, res) => json(res, 500, { error: 'boom' }));
  const results = resultsDir();
  try {
    const run = await runCli([
      'load',
      '--scenario',
      'smoke',
      '--api',
      'generic-json',
      '--target',
      server.url,
      '--ready-path',
      '/',
      '--duration',
      '2s',
      '--results',
      results,
    ]);
    assert.equal(run.code, ExitCode.SloBreached, run.stderr);
    assert.match(run.stderr, /SLO thresholds breached/);
  } finally {
    await server.close();
  }
});

test('a target that does not answer fails within seconds, before any run folder', async () => {
  const server = await startJsonServer((_req, res) => json(res, 200, {}));
  const url = server.url;
  await server.close(); // the port is now closed: connection refused
  const results = resultsDir();
  const run = await runCli(['load', '--scenario', 'smoke', '--target', url, '--results', results]);
  assert.equal(run.code, ExitCode.TargetUnreachable, run.stderr);
  assert.match(run.stderr, /is not answering \(ECONNREFUSED\)/);
  assert.ok(run.elapsedMs < 20_000, `took ${run.elapsedMs} ms`);
  assert.deepEqual(readdirSync(results), []);
});

test('an unknown scenario lists the available ones; nothing runs', async () => {
  const results = resultsDir();
  const run = await runCli(['load', '--scenario', 'nope', '--target', 'http://127.0.0.1:9', '--results', results]);
  assert.equal(run.code, ExitCode.ConfigInvalid);
  assert.match(run.stderr, /SCENARIO: must be one of .*smoke.*, but is 'nope'/);
  assert.deepEqual(readdirSync(results), []);
});

test('every config problem is reported at once with a distinct exit code', async () => {
  const results = resultsDir();
  const run = await runCli([
    'load',
    '--scenario',
    'smoke',
    '--target',
    'localhost:8000',
    '--rate',
    '0',
    '--duration=-3',
    '--slo',
    'no-such-profile',
    '--results',
    results,
  ]);
  assert.equal(run.code, ExitCode.ConfigInvalid);
  assert.match(run.stderr, /invalid configuration \(4 problems\)/);
  for (const re of [
    /RATE: must be a number greater than 0, but is '0'/,
    /DURATION: must be a duration greater than 0, but is '-3'/,
    /target: must use http or https/,
    /SLO: must be a profile/,
  ]) {
    assert.match(run.stderr, re);
  }
  assert.deepEqual(readdirSync(results), []);
});

test('Ctrl-C (SIGINT to the process group) stops k6 gracefully: exit 130, partial summary kept', async () => {
  const server = await startJsonServer((_req, res) => json(res, 200, { ok: true }));
  const results = resultsDir();
  try {
    const child = spawn(
      join(repoRoot, 'bin/genload'),
      [
        'load',
        '--scenario',
        'smoke',
        '--api',
        'generic-json',
        '--target',
        server.url,
        '--duration',
        '60s',
        '--results',
        results,
      ],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      },
    );
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    // wait (bounded) until k6 is sending load, then press Ctrl-C
    for (let i = 0; i < 300 && server.requests < 20; i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(server.requests >= 20, 'k6 never started sending');
    process.kill(-(child.pid ?? 0), 'SIGINT');
    const code = await exited;
    assert.equal(code, ExitCode.Interrupted, stderr);
    const [folder] = readdirSync(results, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    const dir = join(results, folder ?? '');
    const runRecord = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as {
      verdict: string;
      interrupted: boolean;
    };
    assert.equal(runRecord.verdict, 'interrupted');
    assert.ok(existsSync(join(dir, 'summary.json')), 'k6 ran handleSummary on the way out');
    assert.ok(statSync(join(dir, 'samples.json.gz')).size > 0);
  } finally {
    await server.close();
  }
});
