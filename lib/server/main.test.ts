// Spawns the real entry point (sim engine, port 0) as a child process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { bundleWorkers } from '../cli/bundle/bundle.ts';
import { ExitCode } from '../shared/exit-codes.ts';
import { ensureModel, MANIFEST_FILE } from './models/cache.ts';
import { modelSpec } from './models/catalog.ts';

const mainPath = fileURLToPath(new URL('./main.ts', import.meta.url));

function start(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', mainPath, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  const events: { event: string; url?: string }[] = [];
  const waiters: { event: string; resolve: (e: { url?: string }) => void }[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    const e = JSON.parse(line) as { event: string; url?: string };
    events.push(e);
    for (const w of waiters.filter((w) => w.event === e.event)) w.resolve(e);
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = (event: string, timeoutMs = 10_000) =>
    new Promise<{ url?: string }>((resolve, reject) => {
      const seen = events.find((e) => e.event === event);
      if (seen) return resolve(seen);
      waiters.push({ event, resolve });
      setTimeout(
        () => reject(new Error(`no ${event} event within ${timeoutMs} ms; stderr: ${stderr}`)),
        timeoutMs,
      ).unref();
    });
  return { child, events, exited, waitFor, stderr: () => stderr };
}

test('SIGTERM mid-request: not ready, the in-flight request completes, exit 0', async () => {
  const server = start(['--engine', 'sim', '--port', '0', '--sim.step-ms', '20', '--shutdown-deadline-ms', '5000']);
  try {
    const { url } = await server.waitFor('listening');
    const readyEvent = (await server.waitFor('ready')) as { models?: string[] };
    assert.deepEqual(readyEvent.models, ['sim-diffusion', 'sim-llm'], 'the ready event lists the served models');
    const inFlight = fetch(`${url}/v1/images/generations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'p', steps: 20 }),
    });
    await new Promise((r) => setTimeout(r, 100));
    server.child.kill('SIGTERM');
    await server.waitFor('draining');
    const ready = await fetch(`${url}/ready`).catch(() => undefined);
    if (ready) assert.equal(ready.status, 503);
    const res = await inFlight;
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { data: unknown[] }).data.length, 1);
    assert.equal(await server.exited, ExitCode.Passed);
    assert.ok(server.events.some((e) => e.event === 'stopped'));
  } finally {
    server.child.kill('SIGKILL');
  }
});

test('SIGTERM past the drain deadline cancels the request with 503 and still exits 0', async () => {
  const server = start(['--engine', 'sim', '--port', '0', '--sim.step-ms', '100', '--shutdown-deadline-ms', '100']);
  try {
    const { url } = await server.waitFor('listening');
    const inFlight = fetch(`${url}/v1/images/generations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'p', steps: 50 }),
    });
    await new Promise((r) => setTimeout(r, 100));
    server.child.kill('SIGTERM');
    const res = await inFlight;
    assert.equal(res.status, 503);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'server_shutting_down');
    assert.equal(await server.exited, ExitCode.Passed);
  } finally {
    server.child.kill('SIGKILL');
  }
});

test('SIGTERM with jobs still queued: they run and succeed during the drain, a new job gets 503, exit 0', async () => {
  // one job at a time, 10 steps × 20 ms each: at SIGTERM the 2nd and 3rd are queued
  const server = start([
    '--engine',
    'sim',
    '--port',
    '0',
    '--sim.step-ms',
    '20',
    '--jobs.concurrency',
    '1',
    '--shutdown-deadline-ms',
    '10000',
  ]);
  try {
    const { url } = await server.waitFor('listening');
    await server.waitFor('ready');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${url}/v1/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'image', request: { prompt: 'p', steps: 10, size: '64x64' } }),
      });
      ids.push(((await res.json()) as { id: string }).id);
    }
    const second = async () =>
      (await (await fetch(`${url}/v1/jobs/${ids[1]}`)).json()) as { status: string; error: unknown };
    assert.equal((await second()).status, 'queued');
    server.child.kill('SIGTERM');
    await server.waitFor('draining');
    const late = await fetch(`${url}/v1/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'image', request: { prompt: 'p' } }),
    });
    assert.equal(late.status, 503);
    // the server answers until the third job is done; the second one settles about 200 ms before it
    let job = await second();
    for (let i = 0; i < 500 && (job.status === 'queued' || job.status === 'running'); i++) {
      await new Promise((r) => setTimeout(r, 10));
      job = await second();
    }
    assert.equal(job.status, 'succeeded', JSON.stringify(job.error));
    assert.equal(await server.exited, ExitCode.Passed);
    assert.equal(
      (server.events.find((e) => e.event === 'stopped') as { drained?: boolean } | undefined)?.drained,
      true,
    );
  } finally {
    server.child.kill('SIGKILL');
  }
});

test('invalid config: every problem on stderr, exit 2', async () => {
  const server = start(['--engine', 'gpu', '--port', '-1']);
  assert.equal(await server.exited, ExitCode.ConfigInvalid);
  assert.match(server.stderr(), /engine: .*"gpu"/);
  assert.match(server.stderr(), /port: .*-1/);
});

test('a model that fails to load: the server stays up, /health 200, /ready 503 with the reason', async () => {
  await bundleWorkers();
  const cache = mkdtempSync(join(tmpdir(), 'genload-corrupt-'));
  // a cached model file whose bytes are not a model, with a manifest that vouches for them
  // (a garbage file alone would be rebuilt by the cache's checksum check)
  const decoder = ensureModel(modelSpec('tiny-llm', 'fp32', 'test'), join(cache, 'models')).find(
    (g) => g.graph === 'decoder',
  )!;
  const garbage = 'not a protobuf model';
  writeFileSync(decoder.path, garbage);
  const manifestPath = join(dirname(decoder.path), MANIFEST_FILE);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { graphs: Record<string, unknown> };
  manifest.graphs.decoder = { sha256: createHash('sha256').update(garbage).digest('hex'), bytes: garbage.length };
  writeFileSync(manifestPath, JSON.stringify(manifest));
  const server = start(
    ['--engine', 'onnx', '--port', '0', '--workers', '1', '--onnx.preset', 'test', '--onnx.precisions', 'fp32'],
    { GENLOAD_CACHE: cache },
  );
  try {
    const { url } = await server.waitFor('listening');
    const failed = (await server.waitFor('start-failed', 30_000)) as { reason?: string };
    assert.match(
      failed.reason ?? '',
      /engine start failed; reason: worker 0: loading models failed; reason: .*decoder\.onnx/,
    );
    const health = await fetch(`${url}/health`);
    assert.equal(health.status, 200);
    assert.equal(((await health.json()) as { ready: boolean }).ready, false);
    const ready = await fetch(`${url}/ready`);
    assert.equal(ready.status, 503);
    const body = (await ready.json()) as { reason: string; error: { code: string } };
    assert.equal(body.error.code, 'not_ready');
    assert.equal(body.reason, failed.reason);
    assert.equal(
      server.events.some((e) => e.event === 'ready'),
      false,
    );
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, ExitCode.Passed);
  } finally {
    server.child.kill('SIGKILL');
    rmSync(cache, { recursive: true, force: true });
  }
});

test('the onnx engine gets the faults config: errorRate 1 answers 500 injected_fault', async () => {
  await bundleWorkers();
  const server = start([
    '--engine',
    'onnx',
    '--port',
    '0',
    '--workers',
    '1',
    '--onnx.preset',
    'test',
    '--onnx.precisions',
    'fp32',
    '--faults.error-rate',
    '1',
  ]);
  try {
    const { url } = await server.waitFor('listening');
    await server.waitFor('ready', 30_000);
    const res = await fetch(`${url}/v1/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'hi', max_tokens: 2 }),
    });
    assert.equal(res.status, 500);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'injected_fault');
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, ExitCode.Passed);
  } finally {
    server.child.kill('SIGKILL');
  }
});
