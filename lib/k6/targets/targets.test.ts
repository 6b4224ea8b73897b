import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_WORKLOAD } from '../../shared/workload/defaults.ts';
import type { ImageWork, LlmWork } from '../../shared/workload/sample.ts';
import type { HttpReply, RequestSpec, StreamEvent, StreamReply, Transport } from '../transport/types.ts';
import { classifyFailure } from './errors.ts';
import { requestHeaders } from './exchange.ts';
import { fillTemplate } from './generic-json.ts';
import { TARGETS, targetFor } from './registry.ts';
import type { TargetContext } from './types.ts';

/** A transport that records requests and answers from a script. */
function fakeTransport(http: Partial<HttpReply>, events: Array<[string, number]> = [], stream: Partial<StreamReply> = {}) {
  const sent: RequestSpec[] = [];
  const t: Transport = {
    request(spec) {
      sent.push(spec);
      return { status: 200, body: '', headers: {}, durationMs: 12, errorCode: 0, error: '', ...http };
    },
    stream(spec, onEvent: (e: StreamEvent) => void) {
      sent.push(spec);
      for (const [data, ms] of events) onEvent({ name: 'message', data, ms });
      return { status: 200, headers: {}, totalMs: 30, errorCode: 0, error: '', ...stream };
    },
    sleepMs() {},
    nowMs: () => 0,
  };
  return { t, sent };
}

const ctx = (t: Transport, model?: string): TargetContext => ({ baseUrl: 'http://h', model, headers: requestHeaders('sk-secret'), tags: { stage: 'measure' }, timeoutMs: 1000, workload: DEFAULT_WORKLOAD, transport: t });
const llm: LlmWork = { class: 'llm', prompt: 'say "hi"', promptWords: 2, maxTokens: 8, stream: true, seed: 1 };
const image: ImageWork = { class: 'image', prompt: 'a cat', sizePx: 64, steps: 4, seed: 2 };
const chunk = (content: string) => JSON.stringify({ choices: [{ delta: { content } }] });

test('classifyFailure, table-driven', () => {
  const cases: Array<[number, number, string | undefined]> = [
    [200, 0, undefined], [429, 1429, 'shed'], [503, 1503, 'shed'], [500, 1500, '5xx'], [404, 1404, '4xx'], [0, 1050, 'timeout'], [0, 1212, 'connection'], [200, 1050, 'timeout'],
  ];
  for (const [status, code, want] of cases) assert.equal(classifyFailure(status, code), want, `${status}/${code}`);
});

test('reference streams chat with usage, measures TTFT, ITL and tokens, keeps server timings', () => {
  const { t, sent } = fakeTransport({}, [
    [chunk('a'), 5], [chunk('b'), 8], [JSON.stringify({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 2 } }), 9],
    [JSON.stringify({ object: 'genload.timings', timings: { queue_ms: 1, total_ms: 27 } }), 9.5], ['[DONE]', 10],
  ], { headers: { 'Server-Timing': 'queue;dur=0.5' } });
  const out = TARGETS.reference.send(llm, ctx(t, 'tiny'));
  assert.equal(sent[0]?.url, 'http://h/v1/chat/completions');
  const body = JSON.parse(sent[0]?.body ?? '{}');
  assert.deepEqual(body.stream_options, { include_usage: true });
  assert.equal(body.model, 'tiny');
  assert.equal(sent[0]?.headers['authorization'], 'Bearer sk-secret');
  assert.deepEqual({ ok: out.ok, ttft: out.ttftMs, itl: out.itlMs, tokens: out.outputTokens, usage: out.usageCompletionTokens, e2e: out.e2eMs }, { ok: true, ttft: 5, itl: [3], tokens: 2, usage: 2, e2e: 30 });
  assert.deepEqual(out.server, { queueMs: 1, totalMs: 27 });
});

test('a stream without [DONE] is a protocol error; a 429 stream is shed', () => {
  const cut = TARGETS['openai-chat'].send(llm, ctx(fakeTransport({}, [[chunk('a'), 5]]).t));
  assert.equal(cut.ok, false);
  assert.equal(cut.errorClass, 'protocol');
  const shed = TARGETS['openai-completions'].send(llm, ctx(fakeTransport({}, [], { status: 429, errorCode: 1429 }).t));
  assert.equal(shed.errorClass, 'shed');
});

test('non-streamed completion reads usage; reference images send steps and parse Server-Timing', () => {
  const { t, sent } = fakeTransport({ body: JSON.stringify({ choices: [{ text: 'x' }], usage: { prompt_tokens: 4, completion_tokens: 6 } }) });
  const out = TARGETS['openai-completions'].send({ ...llm, stream: false }, ctx(t));
  assert.equal(sent[0]?.url, 'http://h/v1/completions');
  assert.equal(JSON.parse(sent[0]?.body ?? '{}').model, undefined);
  assert.deepEqual([out.ok, out.outputTokens, out.promptTokens, out.e2eMs], [true, 6, 4, 12]);

  const img = fakeTransport({ body: JSON.stringify({ data: [{ b64_json: 'AA' }] }), headers: { 'Server-Timing': 'queue;dur=2, denoise;dur=40, step;dur=10, total;dur=50' } });
  const res = TARGETS.reference.send(image, ctx(img.t));
  const sentBody = JSON.parse(img.sent[0]?.body ?? '{}');
  assert.deepEqual([sentBody.size, sentBody.steps, sentBody.seed], ['64x64', 4, 2]);
  assert.deepEqual([res.ok, res.images, res.steps, res.server.stepMs, res.server.denoiseMs], [true, 1, 4, 10, 40]);
  const plain = fakeTransport({ body: JSON.stringify({ data: [{}] }) });
  TARGETS['openai-images'].send(image, ctx(plain.t));
  assert.equal(JSON.parse(plain.sent[0]?.body ?? '{}').steps, undefined);
});

test('tgi, kserve-v2 and generic-json build their API bodies', () => {
  const tgi = fakeTransport({}, [[JSON.stringify({ token: { text: 'a' } }), 3], [JSON.stringify({ token: { text: 'b' }, generated_text: 'ab', details: { generated_tokens: 2 } }), 6]]);
  const out = TARGETS.tgi.send(llm, ctx(tgi.t));
  assert.equal(tgi.sent[0]?.url, 'http://h/generate_stream');
  assert.deepEqual([out.ok, out.ttftMs, out.outputTokens], [true, 3, 2]);

  const ks = fakeTransport({ body: JSON.stringify({ outputs: [] }) });
  assert.equal(TARGETS['kserve-v2'].send(image, ctx(ks.t, 'sd')).ok, true);
  assert.equal(ks.sent[0]?.url, 'http://h/v2/models/sd/infer');
  assert.equal(JSON.parse(ks.sent[0]?.body ?? '{}').inputs[1].name, 'steps');

  assert.equal(fillTemplate('{"p":"{{prompt}}","n":{{maxTokens}},"x":"{{other}}"}', llm, undefined), '{"p":"say \\"hi\\"","n":8,"x":"{{other}}"}');
  const gen = fakeTransport({ status: 500, errorCode: 1500, body: 'boom' });
  const failed = TARGETS['generic-json'].send(llm, ctx(gen.t));
  assert.deepEqual([failed.ok, failed.errorClass, gen.sent[0]?.url], [false, '5xx', 'http://h/generate']);
});

test('targetFor lists the valid APIs on a bad name; unsupported classes throw', () => {
  assert.throws(() => targetFor('grpc'), /target\.api: must be one of reference, .*but is 'grpc'/);
  assert.throws(() => TARGETS['openai-images'].send(llm, ctx(fakeTransport({}).t)), /cannot send llm/);
});
