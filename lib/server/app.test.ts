import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from './app.ts';
import { loadConfig } from './config/load.ts';
import { Lifecycle } from './http/lifecycle.ts';
import { createMetrics } from './metrics/metrics.ts';
import { createSimEngine } from './sim/engine.ts';

/** an app over a fast sim engine; argv are server flags */
function make(argv: string[] = [], ready = true) {
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
      '--sim.image-sizes',
      '16,32',
      ...argv,
    ],
  });
  const lifecycle = new Lifecycle();
  if (ready) lifecycle.markReady();
  const metrics = createMetrics({ gpuBinary: '' });
  const app = buildApp(config, createSimEngine(config.sim, config.faults, metrics.observer), { lifecycle, metrics });
  return { app, lifecycle };
}

const post = (
  app: ReturnType<typeof make>['app'],
  url: string,
  payload: unknown,
  headers: Record<string, string> = {},
) =>
  app.inject({
    method: 'POST',
    url,
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    headers: { 'content-type': 'application/json', ...headers },
  });

test('/health, /ready before and after start, /v1/models', async () => {
  const { app, lifecycle } = make([], false);
  assert.equal((await app.inject('/health')).statusCode, 200);
  const notReady = await app.inject('/ready');
  assert.equal(notReady.statusCode, 503);
  assert.match(notReady.json().reason, /engine starting/);
  assert.equal(notReady.json().error.code, 'not_ready');
  lifecycle.markReady();
  assert.equal((await app.inject('/ready')).statusCode, 200);
  lifecycle.beginDrain();
  assert.match((await app.inject('/ready')).json().reason, /shutting down/);
  const models = (await app.inject('/v1/models')).json();
  assert.deepEqual(
    models.data.map((m: { id: string }) => m.id),
    ['sim-diffusion', 'sim-llm'],
  );
  await app.close();
});

test('images: PNGs, Server-Timing with every stage, the same numbers as timings', async () => {
  const { app } = make();
  const res = await post(app, '/v1/images/generations', {
    prompt: 'a cat',
    n: 2,
    size: '32x32',
    steps: 3,
    seed: 1,
    user: 'extra fields are ignored',
  });
  assert.equal(res.statusCode, 200);
  const body = res.json();
  assert.equal(body.data.length, 2);
  assert.equal(Buffer.from(body.data[0].b64_json, 'base64').subarray(1, 4).toString(), 'PNG');
  const header = res.headers['server-timing'] as string;
  assert.deepEqual(
    header.split(', ').map((p) => p.split(';')[0]),
    ['queue', 'encode', 'denoise', 'step', 'decode', 'png', 'total'],
  );
  assert.match(header, new RegExp(`denoise;dur=${body.timings.denoise_ms}`));
  assert.ok(body.timings.denoise_ms >= 6, 'two images × 3 steps × 1 ms');
  await app.close();
});

const bad: {
  name: string;
  url?: string;
  argv?: string[];
  payload: unknown;
  status: number;
  param: string | null;
  message: RegExp;
}[] = [
  {
    name: 'url format',
    payload: { prompt: 'p', response_format: 'url' },
    status: 400,
    param: 'response_format',
    message: /b64_json/,
  },
  {
    name: 'size not offered',
    payload: { prompt: 'p', size: '64x64' },
    status: 400,
    param: 'size',
    message: /16x16, 32x32/,
  },
  {
    name: 'non-square size',
    payload: { prompt: 'p', size: '16x32' },
    status: 400,
    param: 'size',
    message: /must be one of/,
  },
  {
    name: 'steps over model max',
    payload: { prompt: 'p', steps: 151 },
    status: 400,
    param: 'steps',
    message: /<= 150/,
  },
  { name: 'n too large', payload: { prompt: 'p', n: 5 }, status: 400, param: 'n', message: /<= 4/ },
  { name: 'n null is not 0', payload: { prompt: 'p', n: null }, status: 400, param: 'n', message: /integer/ },
  { name: 'n as string', payload: { prompt: 'p', n: '2' }, status: 400, param: 'n', message: /integer/ },
  { name: 'missing prompt', payload: { n: 1 }, status: 400, param: 'prompt', message: /prompt/ },
  {
    name: 'unknown model lists valid ones',
    payload: { prompt: 'p', model: 'sd-xl' },
    status: 400,
    param: 'model',
    message: /valid models: sim-diffusion/,
  },
  { name: 'prompt too long', payload: { prompt: 'x'.repeat(16_385) }, status: 400, param: 'prompt', message: /16384/ },
  { name: 'malformed JSON', payload: '{"prompt":', status: 400, param: null, message: /json/i },
  {
    name: 'max_tokens out of range',
    url: '/v1/completions',
    payload: { prompt: 'p', max_tokens: 0 },
    status: 400,
    param: 'max_tokens',
    message: />= 1/,
  },
  {
    name: 'temperature out of range',
    url: '/v1/completions',
    payload: { prompt: 'p', temperature: 3 },
    status: 400,
    param: 'temperature',
    message: /<= 2/,
  },
  {
    name: 'top_p zero',
    url: '/v1/completions',
    payload: { prompt: 'p', top_p: 0 },
    status: 400,
    param: 'top_p',
    message: /> 0/,
  },
  {
    name: 'llm model on images',
    payload: { prompt: 'p', model: 'sim-llm' },
    status: 400,
    param: 'model',
    message: /diffusion model/,
  },
  {
    name: 'over the context window',
    url: '/v1/completions',
    argv: ['--sim.context-tokens', '16'],
    payload: { prompt: 'p', max_tokens: 16 },
    status: 400,
    param: 'prompt',
    message: /context window of 16/,
  },
  {
    name: 'chat without messages',
    url: '/v1/chat/completions',
    payload: { messages: [] },
    status: 400,
    param: 'messages',
    message: /fewer than 1/,
  },
  {
    name: 'chat bad role',
    url: '/v1/chat/completions',
    payload: { messages: [{ role: 'robot', content: 'x' }] },
    status: 400,
    param: 'messages.0.role',
    message: /allowed values/,
  },
];
for (const row of bad) {
  test(`bad input: ${row.name} -> ${row.status}`, async () => {
    const { app } = make(row.argv ?? []);
    const res = await post(app, row.url ?? '/v1/images/generations', row.payload);
    assert.equal(res.statusCode, row.status, res.body);
    const { error } = res.json();
    assert.deepEqual(Object.keys(error).sort(), ['code', 'message', 'param', 'type']);
    assert.equal(error.type, 'invalid_request_error');
    assert.equal(error.param, row.param);
    assert.match(error.message, row.message);
    await app.close();
  });
}

test('over the body limit: 413; unknown route: 404; both OpenAI-shaped', async () => {
  const { app } = make(['--body-limit-bytes', '2048']);
  const big = await post(app, '/v1/completions', { prompt: 'x'.repeat(4000) });
  assert.equal(big.statusCode, 413);
  assert.equal(big.json().error.code, 'body_too_large');
  const missing = await app.inject('/v1/nothing');
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.json().error.type, 'not_found_error');
  await app.close();
});

test('completions and chat, not streamed: OpenAI bodies with usage and timings', async () => {
  const { app } = make();
  const res = await post(app, '/v1/completions', { prompt: 'hello', max_tokens: 4, seed: 5 });
  assert.equal(res.statusCode, 200);
  const body = res.json();
  assert.equal(body.object, 'text_completion');
  assert.deepEqual(body.usage, { prompt_tokens: 5, completion_tokens: 4, total_tokens: 9 });
  assert.deepEqual(
    (res.headers['server-timing'] as string).split(', ').map((p) => p.split(';')[0]),
    ['queue', 'prefill', 'decode', 'ttft', 'total'],
  );
  assert.equal(typeof body.timings.ttft_ms, 'number');
  const again = await post(app, '/v1/completions', { prompt: 'hello', max_tokens: 4, seed: 5 });
  assert.equal(again.json().choices[0].text, body.choices[0].text, 'deterministic from the seed');

  const chat = await post(app, '/v1/chat/completions', {
    messages: [
      { role: 'system', content: 'be brief' },
      { role: 'user', content: [{ type: 'text', text: 'hi' }] },
    ],
    max_completion_tokens: 3,
  });
  assert.equal(chat.statusCode, 200);
  assert.equal(chat.json().object, 'chat.completion');
  assert.equal(chat.json().choices[0].message.role, 'assistant');
  assert.equal(
    chat.json().usage.prompt_tokens,
    Buffer.byteLength('<|system|>\nbe brief\n<|user|>\nhi\n<|assistant|>\n'),
  );
  await app.close();
});

function sseEvents(body: string): string[] {
  return body
    .split('\n\n')
    .filter((e) => e !== '')
    .map((e) => e.replace(/^data: /, ''));
}

test('chat stream: role chunk, tokens, finish, usage chunk, timings chunk, [DONE]', async () => {
  const { app } = make();
  const res = await post(app, '/v1/chat/completions', {
    messages: [{ role: 'user', content: 'hi' }],
    max_tokens: 3,
    stream: true,
    stream_options: { include_usage: true },
  });
  assert.equal(res.statusCode, 200);
  assert.match(res.headers['content-type'] as string, /^text\/event-stream/);
  assert.match(res.headers['server-timing'] as string, /^ttft;dur=/);
  const events = sseEvents(res.body);
  assert.equal(events.at(-1), '[DONE]');
  const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
  assert.deepEqual(chunks[0].choices[0].delta, { role: 'assistant', content: '' });
  assert.equal(chunks.slice(1, 4).filter((c) => c.choices[0].delta.content).length, 3);
  assert.equal(chunks[4].choices[0].finish_reason, 'length');
  assert.deepEqual(chunks[5].choices, []);
  assert.equal(chunks[5].usage.completion_tokens, 3);
  assert.equal(chunks[6].object, 'genload.timings');
  assert.deepEqual(Object.keys(chunks[6].timings), [
    'queue_ms',
    'prefill_ms',
    'decode_ms',
    'ttft_ms',
    'total_ms',
    'batch_size_mean',
  ]);
  assert.equal(chunks.length, 7);
  await app.close();
});

test('completion stream without usage: tokens, finish, timings, [DONE]; errors before the first token keep their status', async () => {
  const { app } = make();
  const res = await post(app, '/v1/completions', { prompt: 'hi', max_tokens: 2, stream: true });
  const chunks = sseEvents(res.body);
  assert.equal(chunks.length, 5);
  assert.equal(JSON.parse(chunks[2]!).choices[0].finish_reason, 'length');
  assert.equal(JSON.parse(chunks[3]!).object, 'genload.timings');
  const tooLong = await post(app, '/v1/completions', { prompt: 'x'.repeat(8190), max_tokens: 10, stream: true });
  assert.equal(tooLong.statusCode, 400);
  assert.equal(tooLong.json().error.param, 'prompt');
  await app.close();
});

test('queue full: 429 with Retry-After (or 503 by config), never more than the bound waits', async () => {
  for (const status of [429, 503]) {
    const { app } = make([
      '--sim.slots',
      '1',
      '--sim.step-ms',
      '20',
      '--queue.max-waiting-per-model',
      '1',
      '--queue.shed-status',
      String(status),
      '--queue.retry-after-seconds',
      '3',
    ]);
    const req = () => post(app, '/v1/images/generations', { prompt: 'p', steps: 5 });
    const running = req();
    await new Promise((r) => setTimeout(r, 5));
    const waiting = req();
    await new Promise((r) => setTimeout(r, 5));
    const shed = await req();
    assert.equal(shed.statusCode, status);
    assert.equal(shed.headers['retry-after'], '3');
    assert.equal(shed.json().error.code, 'queue_full');
    assert.deepEqual([(await running).statusCode, (await waiting).statusCode], [200, 200]);
    await app.close();
  }
});

test('deadline: 504 deadline_exceeded, and the slot is free again', async () => {
  const { app } = make(['--sim.slots', '1', '--sim.step-ms', '50', '--request-deadline-ms', '60']);
  const res = await post(app, '/v1/images/generations', { prompt: 'p', steps: 10 });
  assert.equal(res.statusCode, 504);
  assert.equal(res.json().error.code, 'deadline_exceeded');
  assert.equal((await post(app, '/v1/images/generations', { prompt: 'p', steps: 1 })).statusCode, 200);
  await app.close();
});

test('faults: injected error is a 500 with its code, not a crash', async () => {
  const { app } = make(['--faults.error-rate', '1']);
  const res = await post(app, '/v1/completions', { prompt: 'p' });
  assert.equal(res.statusCode, 500);
  assert.deepEqual(res.json().error, {
    message: 'injected fault (faults.errorRate)',
    type: 'server_error',
    param: null,
    code: 'injected_fault',
  });
  assert.equal((await app.inject('/health')).statusCode, 200);
  await app.close();
});

test('API key: /v1 needs the Bearer key, probes do not', async () => {
  const { app } = make(['--api-key', 'k3y']);
  assert.equal((await app.inject('/v1/models')).statusCode, 401);
  assert.equal((await app.inject({ url: '/v1/models', headers: { authorization: 'Bearer nope' } })).statusCode, 401);
  assert.equal((await app.inject({ url: '/v1/models', headers: { authorization: 'Bearer k3y' } })).statusCode, 200);
  assert.equal((await app.inject('/ready')).statusCode, 200);
  await app.close();
});

test('metrics: vLLM-style names, info label, counters move', async () => {
  const { app } = make();
  await post(app, '/v1/completions', { prompt: 'hello', max_tokens: 3 });
  await post(app, '/v1/images/generations', { prompt: 'p', steps: 2 });
  const text = (await app.inject('/metrics')).body;
  for (const name of [
    'genload_time_to_first_token_seconds_bucket',
    'genload_inter_token_latency_seconds_bucket',
    'genload_e2e_request_latency_seconds_bucket',
    'genload_request_queue_time_seconds_bucket',
    'genload_step_latency_seconds_bucket',
    'genload_batch_size_bucket',
    'genload_num_requests_running',
    'genload_num_requests_waiting',
    'genload_worker_busy_seconds_total',
    'genload_event_loop_lag_seconds',
    'process_cpu_user_seconds_total',
    'nodejs_heap_size_used_bytes',
  ]) {
    assert.ok(text.includes(name), `${name} missing`);
  }
  assert.match(text, /genload_server_info\{engine="sim",provider="sim"\} 1/);
  assert.match(text, /genload_generation_tokens_total\{model="sim-llm"\} 3/);
  assert.match(text, /genload_prompt_tokens_total\{model="sim-llm"\} 5/);
  assert.match(text, /genload_diffusion_steps_total\{model="sim-diffusion"\} 2/);
  assert.match(text, /genload_http_requests_total\{route="\/v1\/completions",method="POST",status="200"\} 1/);
  assert.ok(!text.includes('genload_gpu_'), 'no GPU metrics without nvidia-smi');
  await app.close();
});

test('unknown model on chat and completions: 400 listing the valid models', async () => {
  const { app } = make();
  for (const [url, payload] of [
    ['/v1/completions', { prompt: 'p', model: 'gpt-4' }],
    ['/v1/chat/completions', { messages: [{ role: 'user', content: 'x' }], model: 'gpt-4', stream: true }],
  ] as const) {
    const res = await post(app, url, payload);
    assert.equal(res.statusCode, 400);
    assert.deepEqual([res.json().error.code, res.json().error.param], ['model_not_found', 'model']);
    assert.match(res.json().error.message, /valid models: sim-llm/);
  }
  await app.close();
});

test('draining: inference routes answer 503 server_shutting_down', async () => {
  const { app, lifecycle } = make();
  lifecycle.beginDrain();
  const res = await post(app, '/v1/completions', { prompt: 'p' });
  assert.equal(res.statusCode, 503);
  assert.equal(res.json().error.code, 'server_shutting_down');
  await app.close();
});
