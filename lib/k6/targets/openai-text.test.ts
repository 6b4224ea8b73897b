import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readCompletion, scanCompletion } from './openai-text.ts';

const answer = (usage: unknown, extra: Record<string, unknown> = {}) => JSON.stringify({ id: 'x', choices: [{ index: 0, message: { role: 'assistant', content: 'hi' } }], ...extra, usage });

test('scanCompletion reads compact answers and declines every other shape', () => {
  const cases: Array<[string, object | undefined]> = [
    [answer({ prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 }), { outputTokens: 5, usageCompletionTokens: 5, promptTokens: 3 }],
    [answer({ completion_tokens: 0, prompt_tokens: 12, completion_tokens_details: { reasoning_tokens: 0 } }), { outputTokens: 0, usageCompletionTokens: 0, promptTokens: 12 }],
    [answer({ prompt_tokens_details: { cached_tokens: 0 }, prompt_tokens: 3, completion_tokens: 5 }), undefined], // nested object first
    [answer({ prompt_tokens: 3 }), undefined], // no completion count: readCompletion decides
    [answer({ prompt_tokens: 3, completion_tokens: null }), undefined],
    [answer({ prompt_tokens: 3, completion_tokens: 2.5 }), undefined],
    [answer({ prompt_tokens: 3, completion_tokens: 5 }, { timings: { total_ms: 4 } }), undefined], // body timings: parse
    [answer({ prompt_tokens: 3, completion_tokens: 5 }, { note: '"usage":{' }), { outputTokens: 5, usageCompletionTokens: 5, promptTokens: 3 }], // escaped inside a string
    [answer({ prompt_tokens: 3, completion_tokens: 5 }, { object: 'usage' }), { outputTokens: 5, usageCompletionTokens: 5, promptTokens: 3 }], // the value "usage" before the key
    [`${answer({ prompt_tokens: 3, completion_tokens: 5 }).slice(0, -1)},"object":"usage"}`, undefined], // a second "usage" token after the key
    [JSON.stringify({ choices: [], usage: { prompt_tokens: 1, completion_tokens: 2 } }, null, 2), undefined], // pretty-printed
    ['{"usage":{"prompt_tokens":1,"completion_tokens":2}}', undefined], // no choices
    // cut short: not detected here (no brace matching); exchangeJson scans only replies without a transport error, which k6 delivers whole
    ['{"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2}', { outputTokens: 2, usageCompletionTokens: 2, promptTokens: 1 }],
    ['{"choices":[],"usage":{"prompt_tokens":1,"completion_tok', undefined],
    ['', undefined],
  ];
  for (const [body, want] of cases) assert.deepEqual(scanCompletion(body), want, body);
});

test('scanCompletion agrees with JSON.parse + readCompletion whenever it answers (property)', () => {
  const count = fc.oneof(fc.nat(100_000), fc.constant(null), fc.double(), fc.string());
  const usage = fc.record(
    { prompt_tokens: count, completion_tokens: count, total_tokens: count, completion_tokens_details: fc.record({ reasoning_tokens: fc.nat() }), prompt_tokens_details: fc.record({ cached_tokens: fc.nat() }) },
    { requiredKeys: [] },
  );
  const body = fc
    .record({
      content: fc.string({ unit: 'binary' }),
      usage: fc.option(usage, { nil: undefined }),
      extra: fc.dictionary(fc.constantFrom('object', 'model', 'usage_note', 'system_fingerprint', 'timings'), fc.oneof(fc.string(), fc.constant('usage'), fc.constant('"usage":{"completion_tokens":9}'))),
      choices: fc.boolean(),
      spaces: fc.constantFrom(undefined, 1),
    })
    .map(({ content, usage: u, extra, choices, spaces }) => JSON.stringify({ ...extra, ...(choices ? { choices: [{ message: { content } }] } : {}), ...(u === undefined ? {} : { usage: u }) }, null, spaces));
  fc.assert(
    fc.property(body, (text) => {
      const scanned = scanCompletion(text);
      if (scanned === undefined) return;
      const read = readCompletion(JSON.parse(text));
      assert.deepEqual(scanned, read, text);
    }),
    { numRuns: 3000 },
  );
});
