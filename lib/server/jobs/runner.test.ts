// Jobs across a shutdown, on the sim engine: accepted jobs, queued or running,
// finish during the drain; only new submissions get 503; past the drain
// deadline the ones left fail with server_shutting_down.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config/load.ts';
import { Lifecycle } from '../http/lifecycle.ts';
import { createMetrics } from '../metrics/metrics.ts';
import { createSimEngine } from '../sim/engine.ts';

function make(argv: string[]) {
  const config = loadConfig({
    argv: ['--engine', 'sim', '--sim.image-sizes', '16', '--jobs.concurrency', '1', ...argv],
  });
  const lifecycle = new Lifecycle();
  lifecycle.markReady();
  const app = buildApp(config, createSimEngine(config.sim, config.faults), {
    lifecycle,
    metrics: createMetrics({ gpuBinary: '' }),
  });
  return { app, lifecycle };
}

type App = ReturnType<typeof make>['app'];
const submit = (app: App, steps: number) =>
  app.inject({ method: 'POST', url: '/v1/jobs', payload: { kind: 'image', request: { prompt: 'p', steps } } });
const view = async (app: App, id: string) =>
  (await app.inject(`/v1/jobs/${id}`)).json() as {
    status: string;
    result: { data: unknown[] } | null;
    error: { code: string; message: string } | null;
  };

test('drain: a job still queued at SIGTERM runs and succeeds; a new submission gets 503', async () => {
  // one job at a time, 5 steps × 20 ms each: the second and third wait in state 'queued'
  const { app, lifecycle } = make(['--sim.step-ms', '20']);
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) ids.push(((await submit(app, 5)).json() as { id: string }).id);
  assert.equal((await view(app, ids[2]!)).status, 'queued');
  assert.equal(lifecycle.inFlight, 3, 'each accepted job counted once, queued or running');

  const drained = lifecycle.drain(10_000);
  const late = await submit(app, 1);
  assert.equal(late.statusCode, 503);
  assert.equal(late.json().error.code, 'server_shutting_down');
  assert.equal(await drained, true);
  for (const id of ids) {
    const job = await view(app, id);
    assert.equal(job.status, 'succeeded', `${id}: ${JSON.stringify(job.error)}`);
    assert.equal(job.result!.data.length, 1);
  }
  assert.equal(lifecycle.inFlight, 0);
  await app.close();
});

test('drain deadline: the running job and the queued ones fail with server_shutting_down, naming the deadline', async () => {
  // each job takes 50 steps × 20 ms = 1 s; the drain gives 100 ms
  const { app, lifecycle } = make(['--sim.step-ms', '20']);
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) ids.push(((await submit(app, 50)).json() as { id: string }).id);
  assert.equal(await lifecycle.drain(100), false);
  assert.equal(lifecycle.inFlight, 0);
  for (const id of ids) {
    const job = await view(app, id);
    assert.equal(job.status, 'failed');
    assert.equal(job.error!.code, 'server_shutting_down');
    assert.match(job.error!.message, /not finished within the drain deadline \(shutdownDeadlineMs 100\)/);
  }
  await app.close();
});

test('job store full: Retry-After is the time until the soonest finished job expires, else the configured value', async () => {
  const { app } = make([
    '--jobs.max-jobs',
    '1',
    '--jobs.ttl-ms',
    '5000',
    '--queue.retry-after-seconds',
    '7',
    '--sim.step-ms',
    '20',
  ]);
  // 5 steps × 20 ms: normally still running when the next submission comes
  const first = ((await submit(app, 5)).json() as { id: string }).id;
  const whileRunning = await submit(app, 1);
  // the first job may already be done: then its TTL decides, as below
  if ((await view(app, first)).status !== 'succeeded')
    assert.equal(whileRunning.headers['retry-after'], '7', 'unknown wait: the configured value');
  for (let i = 0; i < 200 && (await view(app, first)).status !== 'succeeded'; i++)
    await new Promise((r) => setTimeout(r, 10));
  assert.equal((await view(app, first)).status, 'succeeded');
  const full = await submit(app, 1);
  assert.equal(full.statusCode, 429);
  assert.equal(full.json().error.code, 'job_store_full');
  assert.equal(full.headers['retry-after'], '5', 'the finished job expires within 5 s');
  assert.match(full.json().error.message, /retry after 5 s/);
  await app.close();
});
