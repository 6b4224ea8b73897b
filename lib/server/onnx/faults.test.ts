// Fault injection through the HTTP app over the real onnx engine ('test' preset):
// crashAfterRequests kills a real worker in the middle of a model call.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { bundleWorkers } from '../../cli/bundle/bundle.ts';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config/load.ts';
import { withFaults } from '../engine/faults.ts';
import { Lifecycle } from '../http/lifecycle.ts';
import { createMetrics } from '../metrics/metrics.ts';
import { createOnnxEngine, type OnnxEngine } from './engine.ts';

let onnx: OnnxEngine;
let app: ReturnType<typeof buildApp>;

before(async () => {
  await bundleWorkers();
  const config = loadConfig({
    argv: [
      '--engine',
      'onnx',
      '--workers',
      '2',
      '--onnx.preset',
      'test',
      '--onnx.precisions',
      'fp32',
      '--faults.crash-after-requests',
      '4',
      '--faults.error-rate',
      '0',
    ],
  });
  const metrics = createMetrics({ gpuBinary: '' });
  onnx = createOnnxEngine({
    provider: 'cpu',
    workers: 2,
    threadsPerWorker: 1,
    maxBatchSize: 8,
    maxQueueDelayMs: 2,
    preset: 'test',
    precisions: ['fp32'],
    families: ['tiny-llm'],
    observer: metrics.observer,
  });
  await onnx.start();
  const engine = withFaults(onnx, config.faults, {
    crash: () => onnx.killBusyWorker('crash injected by faults.crashAfterRequests'),
  });
  const lifecycle = new Lifecycle();
  lifecycle.markReady();
  app = buildApp(config, engine, { lifecycle, metrics });
});
after(async () => {
  await app.close();
  await onnx.close(1000);
});

const complete = (seed: number, maxTokens = 60) =>
  app.inject({
    method: 'POST',
    url: '/v1/completions',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ prompt: 'Hello', max_tokens: maxTokens, seed }),
  });

test('crashAfterRequests: the requests on the killed worker fail with a message, the worker is replaced, later requests succeed, metrics count it', async () => {
  const first = await Promise.all([1, 2, 3, 4, 5, 6].map((seed) => complete(seed)));
  const failed = first.filter((r) => r.statusCode !== 200);
  assert.ok(failed.length > 0 && failed.length < first.length, `statuses ${first.map((r) => r.statusCode)}`);
  for (const r of failed) {
    assert.equal(r.statusCode, 500);
    assert.equal(r.json().error.code, 'worker_crashed');
    assert.match(r.json().error.message, /worker \d crashed: crash injected by faults.crashAfterRequests/);
  }
  // the replacement loads its sessions; then every request succeeds again
  let recovered = false;
  for (let i = 0; i < 50 && !recovered; i++) {
    const again = await Promise.all([7, 8, 9, 10].map((seed) => complete(seed, 8)));
    recovered = again.every((r) => r.statusCode === 200);
    if (!recovered) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(recovered, 'the pool did not recover');
  const metrics = (await app.inject('/metrics')).body;
  assert.match(metrics, /^genload_worker_crashes_total 1$/m);
  assert.match(
    metrics,
    new RegExp(
      `^genload_request_failures_total\\{model="tiny-llm-fp32",code="worker_crashed"\\} ${failed.length}$`,
      'm',
    ),
  );
});
