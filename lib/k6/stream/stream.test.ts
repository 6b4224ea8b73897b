import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StreamAccumulator } from './accumulate.ts';
import { interpretOpenAiData } from './openai.ts';
import { interpretTgiData } from './tgi.ts';

const chat = (content: string | undefined) => JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: content === undefined ? { role: 'assistant' } : { content }, finish_reason: null }] });

test('interpretOpenAiData, table-driven', () => {
  const cases: Array<[string, object]> = [
    ['[DONE]', { tokenPieces: 0, textChars: 0, done: true }],
    [chat(undefined), { tokenPieces: 0, textChars: 0, done: false }],
    [chat('Hello'), { tokenPieces: 1, textChars: 5, done: false }],
    [JSON.stringify({ object: 'text_completion', choices: [{ text: ' wor' }] }), { tokenPieces: 1, textChars: 4, done: false }],
    [JSON.stringify({ choices: [], usage: { prompt_tokens: 7, completion_tokens: 12 } }), { tokenPieces: 0, textChars: 0, done: false, usage: { promptTokens: 7, completionTokens: 12 } }],
    [JSON.stringify({ object: 'genload.timings', timings: { queue_ms: 1, ttft_ms: 5, total_ms: 40 } }), { tokenPieces: 0, textChars: 0, done: false, timings: { queueMs: 1, ttftMs: 5, totalMs: 40 } }],
    [JSON.stringify({ error: { message: 'overloaded' } }), { tokenPieces: 0, textChars: 0, done: false, error: 'overloaded' }],
    ['not json', { tokenPieces: 0, textChars: 0, done: false, error: 'stream event is not JSON: not json' }],
  ];
  for (const [data, want] of cases) assert.deepEqual(interpretOpenAiData(data), want, data);
});

test('interpretTgiData reads tokens, skips special ones, ends on generated_text', () => {
  assert.deepEqual(interpretTgiData(JSON.stringify({ token: { id: 1, text: 'Hi', special: false }, generated_text: null })), { tokenPieces: 1, textChars: 2, done: false });
  assert.equal(interpretTgiData(JSON.stringify({ token: { id: 2, text: '</s>', special: true } })).tokenPieces, 0);
  assert.deepEqual(interpretTgiData(JSON.stringify({ token: { text: '!', special: false }, generated_text: 'Hi!', details: { generated_tokens: 2 } })), {
    tokenPieces: 1,
    textChars: 1,
    done: true,
    usage: { promptTokens: 0, completionTokens: 2 },
  });
});

test('StreamAccumulator: ttft is the first token event, gaps between token events only', () => {
  const acc = new StreamAccumulator();
  const events: Array<[string, number]> = [
    [chat(undefined), 3],
    [chat('a'), 10],
    [chat('b'), 14],
    [chat('c'), 21],
    [JSON.stringify({ choices: [], usage: { prompt_tokens: 4, completion_tokens: 3 } }), 22],
    [JSON.stringify({ object: 'genload.timings', timings: { total_ms: 20 } }), 22.5],
    ['[DONE]', 23],
  ];
  for (const [data, ms] of events) acc.add(interpretOpenAiData(data), ms);
  const s = acc.stats();
  assert.equal(s.ttftMs, 10);
  assert.deepEqual(s.itlMs, [4, 7]);
  assert.equal(s.tokenPieces, 3);
  assert.equal(s.outputTokens, 3);
  assert.equal(s.promptTokens, 4);
  assert.equal(s.lastEventMs, 23);
  assert.deepEqual(s.timings, { totalMs: 20 });
  assert.equal(s.done, true);
});

test('StreamAccumulator without usage counts pieces and reports an empty stream', () => {
  const acc = new StreamAccumulator();
  acc.add(interpretOpenAiData(chat('x')), 5);
  assert.equal(acc.stats().outputTokens, 1);
  assert.equal(acc.stats().usageCompletionTokens, undefined);
  const empty = new StreamAccumulator().stats();
  assert.equal(empty.ttftMs, undefined);
  assert.equal(empty.done, false);
});
