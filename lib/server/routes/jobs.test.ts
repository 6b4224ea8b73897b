import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config/load.ts';
import { Lifecycle } from '../http/lifecycle.ts';
import type { DeliveryOutcome } from '../jobs/webhook.ts';
import { createMetrics } from '../metrics/metrics.ts';
import { createSimEngine } from '../sim/engine.ts';

function make(argv: string[] = []) {
  const config = loadConfig({
    argv: [
      '--engine',
      'sim',
      '--sim.step-ms',
      '2',
      '--sim.token-ms',
      '1',
      '--sim.image-sizes',
      '16',
      '--webhook-allowlist',
      'http://127.0.0.1:9/hook',
      ...argv,
    ],
  });
  const lifecycle = new Lifecycle();
  lifecycle.markReady();
  const delivered: { url: string; payload: { id: string; status: string } }[] = [];
  const deliver = async (url: string, payload: unknown): Promise<DeliveryOutcome> => {
    delivered.push({ url, payload: payload as { id: string; status: string } });
    return { delivered: true, attempts: 1, status: 204 };
  };
  const metrics = createMetrics({ gpuBinary: '' });
  const app = buildApp(config, createSimEngine(config.sim, config.faults), { lifecycle, metrics, jobs: { deliver } });
  return { app, delivered };
}

type App = ReturnType<typeof make>['app'];
const submit = (app: App, body: unknown) => app.inject({ method: 'POST', url: '/v1/jobs', payload: body as object });

async function waitForStatus(
  app: App,
  id: string,
  wanted: string[],
): Promise<{ status: string; result: unknown; error: { code: string } | null; webhook: unknown }> {
  for (let i = 0; i < 200; i++) {
    const job = (await app.inject(`/v1/jobs/${id}`)).json();
    if (wanted.includes(job.status)) return job;
    await new Promise((r) => setTimeout(r, 5));
  }
  assert.fail(`job ${id} never reached ${wanted.join('|')}`);
}

test('image job: 202 + Location, queued/running, then succeeded with the sync body; webhook called', async () => {
  const { app, delivered } = make();
  const res = await submit(app, {
    kind: 'image',
    request: { prompt: 'p', steps: 3, n: 2 },
    webhook_url: 'http://127.0.0.1:9/hook',
  });
  assert.equal(res.statusCode, 202);
  const job = res.json();
  assert.equal(res.headers.location, `/v1/jobs/${job.id}`);
  assert.ok(['queued', 'running'].includes(job.status));
  const done = await waitForStatus(app, job.id, ['succeeded', 'failed']);
  assert.equal(done.status, 'succeeded');
  assert.equal((done.result as { data: unknown[] }).data.length, 2);
  for (let i = 0; i < 50 && delivered.length === 0; i++) await new Promise((r) => setTimeout(r, 2));
  assert.deepEqual(
    delivered.map((d) => [d.url, d.payload.id, d.payload.status]),
    [['http://127.0.0.1:9/hook', job.id, 'succeeded']],
  );
  assert.deepEqual((await app.inject(`/v1/jobs/${job.id}`)).json().webhook, {
    url: 'http://127.0.0.1:9/hook',
    delivered: true,
    attempts: 1,
    status: 204,
  });
  await app.close();
});

test('cancel: a running job ends cancelled, a second DELETE is 409, unknown id is 404', async () => {
  const { app } = make(['--sim.token-ms', '20']);
  const job = (await submit(app, { kind: 'completion', request: { prompt: 'p', max_tokens: 100 } })).json();
  await waitForStatus(app, job.id, ['running']);
  const del = await app.inject({ method: 'DELETE', url: `/v1/jobs/${job.id}` });
  assert.equal(del.statusCode, 200);
  assert.equal(del.json().status, 'cancelled');
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(
    (await app.inject(`/v1/jobs/${job.id}`)).json().status,
    'cancelled',
    'the rejected generation does not overwrite it',
  );
  assert.equal((await app.inject({ method: 'DELETE', url: `/v1/jobs/${job.id}` })).statusCode, 409);
  assert.equal((await app.inject('/v1/jobs/job-nope')).statusCode, 404);
  await app.close();
});

test('concurrency bound: extra jobs wait queued; a queued job can be cancelled before it runs', async () => {
  const { app } = make(['--jobs.concurrency', '1', '--sim.token-ms', '10']);
  const first = (await submit(app, { kind: 'completion', request: { prompt: 'p', max_tokens: 5 } })).json();
  const second = (await submit(app, { kind: 'completion', request: { prompt: 'p', max_tokens: 5 } })).json();
  assert.equal((await app.inject(`/v1/jobs/${second.id}`)).json().status, 'queued');
  assert.equal((await app.inject({ method: 'DELETE', url: `/v1/jobs/${second.id}` })).json().status, 'cancelled');
  assert.equal((await waitForStatus(app, first.id, ['succeeded'])).status, 'succeeded');
  await app.close();
});

test('bad job submissions are 400s naming the parameter', async () => {
  const { app } = make(['--jobs.max-jobs', '1']);
  const rows: [unknown, string | null, RegExp][] = [
    [
      { kind: 'image', request: { prompt: 'p' }, webhook_url: 'http://example.com/hook' },
      'webhook_url',
      /must start with an allowlisted URL prefix/,
    ],
    [
      { kind: 'image', request: { prompt: 'p' }, webhook_url: 'http://127.0.0.1:22/hook' },
      'webhook_url',
      /must start with an allowlisted URL prefix/,
    ],
    [{ kind: 'image', request: { prompt: 'p' }, webhook_url: 'ftp://127.0.0.1/x' }, 'webhook_url', /http or https/],
    [{ kind: 'image', request: { prompt: 'p', n: 0 } }, 'request.n', />= 1/],
    [{ kind: 'video', request: {} }, 'kind', /allowed values/],
    [{ kind: 'completion', request: { prompt: 'p', stream: true } }, 'request.stream', /cannot stream/],
  ];
  for (const [body, param, message] of rows) {
    const res = await submit(app, body);
    assert.equal(res.statusCode, 400, JSON.stringify(body));
    assert.equal(res.json().error.param, param);
    assert.match(res.json().error.message, message);
  }
  assert.equal((await submit(app, { kind: 'completion', request: { prompt: 'p', max_tokens: 2 } })).statusCode, 202);
  const full = await submit(app, { kind: 'completion', request: { prompt: 'p' } });
  assert.equal(full.statusCode, 429);
  assert.equal(full.json().error.code, 'job_store_full');
  await app.close();
});
