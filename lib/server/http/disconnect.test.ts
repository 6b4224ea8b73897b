// Needs a real socket: app.inject cannot drop a connection mid-request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config/load.ts';
import { createMetrics } from '../metrics/metrics.ts';
import { createSimEngine } from '../sim/engine.ts';
import { Lifecycle } from './lifecycle.ts';

async function listen(argv: string[]) {
  const config = loadConfig({ argv: ['--engine', 'sim', '--port', '0', '--sim.slots', '1', ...argv] });
  const lifecycle = new Lifecycle();
  lifecycle.markReady();
  const engine = createSimEngine(config.sim, config.faults);
  const app = buildApp(config, engine, { lifecycle, metrics: createMetrics({ gpuBinary: '' }) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, engine, lifecycle, port: (app.server.address() as AddressInfo).port };
}

/** sends a POST and destroys the socket once `abortWhen` says so */
function postThenDrop(port: number, path: string, body: unknown, abortWhen: 'sent' | 'first-byte'): Promise<void> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': 'application/json' } },
      (res) => {
        res.once('data', () => {
          if (abortWhen === 'first-byte') req.destroy();
        });
      },
    );
    req.on('error', () => {});
    req.on('close', () => resolve());
    req.end(JSON.stringify(body), () => {
      if (abortWhen === 'sent') setTimeout(() => req.destroy(), 30);
    });
  });
}

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  for (const start = Date.now(); Date.now() - start < timeoutMs;) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 5));
  }
  return check();
}

test('a client that leaves a non-streamed request frees its slot', async () => {
  const { app, engine, lifecycle, port } = await listen(['--sim.step-ms', '100']);
  await postThenDrop(port, '/v1/images/generations', { prompt: 'p', steps: 50 }, 'sent');
  assert.ok(
    await until(() => lifecycle.inFlight === 0 && (engine.stats().running['sim-diffusion'] ?? 0) === 0, 1000),
    'slot still held',
  );
  await app.close();
});

test('a client that leaves mid-stream cancels the generation and frees the slot', async () => {
  const { app, engine, lifecycle, port } = await listen(['--sim.token-ms', '20']);
  await postThenDrop(port, '/v1/completions', { prompt: 'p', max_tokens: 500, stream: true }, 'first-byte');
  assert.ok(
    await until(() => lifecycle.inFlight === 0 && (engine.stats().running['sim-llm'] ?? 0) === 0, 1000),
    'slot still held',
  );
  const metrics = (await app.inject('/metrics')).body;
  assert.match(metrics, /genload_request_failures_total\{model="sim-llm",code="cancelled"\} 1/);
  await app.close();
});
