// Spawns the real entry point (sim engine, port 0) as a child process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ExitCode } from '../shared/exit-codes.ts';

const mainPath = fileURLToPath(new URL('./main.ts', import.meta.url));

function start(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', mainPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
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
      setTimeout(() => reject(new Error(`no ${event} event within ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs).unref();
    });
  return { child, events, exited, waitFor, stderr: () => stderr };
}

test('SIGTERM mid-request: not ready, the in-flight request completes, exit 0', async () => {
  const server = start(['--engine', 'sim', '--port', '0', '--sim.step-ms', '20', '--shutdown-deadline-ms', '5000']);
  try {
    const { url } = await server.waitFor('listening');
    await server.waitFor('ready');
    const inFlight = fetch(`${url}/v1/images/generations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt: 'p', steps: 20 }) });
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
    const inFlight = fetch(`${url}/v1/images/generations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt: 'p', steps: 50 }) });
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

test('invalid config: every problem on stderr, exit 2', async () => {
  const server = start(['--engine', 'gpu', '--port', '-1']);
  assert.equal(await server.exited, ExitCode.ConfigInvalid);
  assert.match(server.stderr(), /engine: .*"gpu"/);
  assert.match(server.stderr(), /port: .*-1/);
});
