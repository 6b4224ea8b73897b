// The API key is checked on the route the router matched, not on the raw URL:
// percent-encoded, doubled-slash, dot-segment and case variants of /v1/* either
// reach a /v1 route and need the key, or match nothing (404 with the key, 401 without).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config/load.ts';
import { Lifecycle } from './lifecycle.ts';
import { createMetrics } from '../metrics/metrics.ts';
import { createSimEngine } from '../sim/engine.ts';

const KEY = 'k3y-auth-test';

function make() {
  const config = loadConfig({
    argv: [
      '--engine',
      'sim',
      '--sim.step-ms',
      '1',
      '--sim.token-ms',
      '1',
      '--sim.prefill-fixed-ms',
      '1',
      '--api-key',
      KEY,
    ],
  });
  const lifecycle = new Lifecycle();
  lifecycle.markReady();
  const metrics = createMetrics({ gpuBinary: '' });
  return buildApp(config, createSimEngine(config.sim, config.faults, metrics.observer), { lifecycle, metrics });
}

const GET_VARIANTS = [
  '/v1/models',
  '/%761/models',
  '/v%31/models',
  '/%76%31/models',
  '/v1/%6dodels',
  '/v1/models?x=1',
  '/v1/models/',
  '//v1/models',
  '/v1//models',
  '/./v1/models',
  '/x/../v1/models',
  '/v1/./models',
  '/%2e/v1/models',
  '/V1/models',
  '/v1/MODELS',
  '/v1/models%00',
  '/v1%2fmodels',
];
const POST_VARIANTS = [
  '/v1/completions',
  '/%761/completions',
  '/v%31/completions',
  '/v1/%63ompletions',
  '/V1/completions',
  '//v1/completions',
  '/./v1/completions',
  '/v1/chat/%63ompletions',
  '/%761/images/generations',
  '/%761/jobs',
];

test('API key: every spelling of a /v1 path is refused without the key (401), never served', async () => {
  const app = make();
  for (const url of GET_VARIANTS) {
    const res = await app.inject({ method: 'GET', url });
    assert.equal(res.statusCode, 401, `GET ${url} answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
    assert.equal(res.json().error.code, 'invalid_api_key', url);
  }
  for (const url of POST_VARIANTS) {
    const res = await app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ prompt: 'x', max_tokens: 2, kind: 'completion', request: { prompt: 'x' } }),
    });
    assert.equal(res.statusCode, 401, `POST ${url} answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
  }
  await app.close();
});

test('API key: with the key, encoded spellings reach the same route; the probes stay open without it', async () => {
  const app = make();
  const auth = { authorization: `Bearer ${KEY}` };
  for (const url of ['/v1/models', '/%761/models', '/v%31/models'])
    assert.equal((await app.inject({ url, headers: auth })).statusCode, 200, url);
  const post = await app.inject({
    method: 'POST',
    url: '/%761/completions',
    headers: { ...auth, 'content-type': 'application/json' },
    payload: JSON.stringify({ prompt: 'x', max_tokens: 2 }),
  });
  assert.equal(post.statusCode, 200);
  for (const url of ['/health', '/ready', '/metrics', '/%68ealth'])
    assert.equal((await app.inject(url)).statusCode, 200, url);
  await app.close();
});
