import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_WORKLOAD } from '../../shared/workload/defaults.ts';
import type { HttpReply, RequestSpec, Transport } from '../transport/types.ts';
import { exchangeJson, requestHeaders } from './exchange.ts';
import { readCompletion, scanCompletion } from './openai-text.ts';
import type { TargetContext } from './types.ts';

const ANSWER = '{"choices":[{"index":0}],"usage":{"prompt_tokens":4,"completion_tokens":6}}';

/** A transport answering every request with `reply`, recording the specs. */
function transport(reply: Partial<HttpReply>): { t: Transport; sent: RequestSpec[] } {
  const sent: RequestSpec[] = [];
  const t: Transport = {
    request(spec) {
      sent.push(spec);
      return { status: 200, body: ANSWER, headers: { 'Server-Timing': 'total;dur=3' }, durationMs: 12, errorCode: 0, error: '', ...reply };
    },
    stream: () => assert.fail('no stream expected'),
    sleepMs() {},
    nowMs: () => 0,
  };
  return { t, sent };
}

const ctx = (t: Transport): TargetContext => ({ baseUrl: 'http://h', model: undefined, headers: requestHeaders(undefined), tags: { stage: 'measure' }, timeoutMs: 1000, workload: DEFAULT_WORKLOAD, transport: t });

/** scanCompletion, counting its calls */
function countingScan() {
  const calls = { n: 0 };
  return { calls, scan: (body: string) => (calls.n++, scanCompletion(body)) };
}

test('exchangeJson: names the answer shape, and the transport scan and parsed Server-Timing replace the JavaScript ones', () => {
  const { calls, scan } = countingScan();
  const { t, sent } = transport({ completion: { outputTokens: 6, usageCompletionTokens: 6, promptTokens: 4 }, server: { totalMs: 2 }, headers: {} });
  const out = exchangeJson(ctx(t), 'llm', 'POST', '/v1/chat/completions', { a: 1 }, readCompletion, scan, 'openai-completion');
  assert.equal(sent[0]?.answer, 'openai-completion');
  assert.equal(sent[0]?.body, '{"a":1}');
  assert.equal(calls.n, 0, 'the transport scanned already');
  assert.deepEqual(out, { class: 'llm', ok: true, status: 200, e2eMs: 12, server: { totalMs: 2 }, outputTokens: 6, usageCompletionTokens: 6, promptTokens: 4 });
});

test('exchangeJson: the same Outcome whether the transport or the JavaScript scan read the answer', () => {
  const viaJs = exchangeJson(ctx(transport({}).t), 'llm', 'POST', '/p', {}, readCompletion, scanCompletion, 'openai-completion');
  const viaTransport = exchangeJson(ctx(transport({ completion: scanCompletion(ANSWER) as HttpReply['completion'], server: { totalMs: 3 } }).t), 'llm', 'POST', '/p', {}, readCompletion, scanCompletion, 'openai-completion');
  assert.deepEqual(viaTransport, viaJs);
  assert.equal(viaJs.outputTokens, 6);
});

test('exchangeJson: a body the transport scan refused (null) is parsed as JSON; failures never use the scan', () => {
  const { calls, scan } = countingScan();
  const refused = exchangeJson(ctx(transport({ completion: null, body: '{"choices":[],"usage":{"completion_tokens":2}}' }).t), 'llm', 'POST', '/p', {}, readCompletion, scan, 'openai-completion');
  assert.equal(calls.n, 0);
  assert.equal(refused.ok, true);
  assert.equal(refused.outputTokens, 2, 'read from the parsed JSON');
  const failed = exchangeJson(ctx(transport({ status: 500, errorCode: 1500, completion: { outputTokens: 1, usageCompletionTokens: 1, promptTokens: 1 } }).t), 'llm', 'POST', '/p', {}, readCompletion, scan, 'openai-completion');
  assert.equal(failed.ok, false);
  assert.equal(failed.errorClass, '5xx');
  assert.equal(failed.outputTokens, undefined);
});
