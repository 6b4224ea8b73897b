import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TARGET_APIS } from '../run-config.ts';
import type { ImageItem, LlmItem } from '../workload/items.ts';
import { APIS, authorizationHeader, canStream, llmShareFor, routePath } from './apis.ts';
import { bodyOf, fillTemplate, promptText, type BodyOptions } from './bodies.ts';

const llm: LlmItem = {
  class: 'llm',
  messages: [{ role: 'user', content: 'say "hi"' }],
  inputTokens: 3,
  outputTokens: 8,
};
const turns: LlmItem = {
  class: 'llm',
  messages: [
    { role: 'system', content: 'S' },
    { role: 'user', content: 'U1' },
    { role: 'assistant', content: 'A1' },
    { role: 'user', content: 'U2' },
  ],
  inputTokens: 9,
  outputTokens: 4,
};
const image: ImageItem = { class: 'image', prompt: 'a cat', sizePx: 64, steps: 4 };
const opts = (api: BodyOptions['api'], more: Partial<BodyOptions> = {}): BodyOptions => ({
  api,
  model: 'm',
  stream: false,
  ignoreEos: false,
  requestTemplate: '{"p":"{{prompt}}","n":{{maxTokens}}}',
  job: false,
  ...more,
});
const parsed = (s: string) => JSON.parse(s) as Record<string, unknown>;

test('APIS: every API has a route per class it carries, streamed LLM routes where the API streams', () => {
  for (const api of TARGET_APIS) {
    const def = APIS[api];
    for (const cls of def.classes) assert.ok(def.routes[cls] !== undefined, `${api} ${cls}`);
  }
  assert.deepEqual(TARGET_APIS.filter(canStream), ['reference', 'openai-chat', 'openai-completions', 'tgi']);
  assert.equal(routePath(APIS['kserve-v2'].routes.llm!, 'a b', '/'), '/v2/models/a%20b/infer');
  assert.equal(routePath(APIS['generic-json'].routes.llm!, undefined, '/gen'), '/gen');
});

test('llmShareFor: what the scenario wants, limited to what the API can send', () => {
  const cases: Array<
    [Parameters<typeof llmShareFor>[0], Parameters<typeof llmShareFor>[1], 'auto' | 'llm' | 'image', number | RegExp]
  > = [
    ['reference', 'auto', 'auto', 1],
    ['reference', 'auto', 'image', 0],
    ['openai-images', 'auto', 'auto', 0],
    ['reference', 'mixed', 'auto', 0.3],
    ['reference', 'any', 'auto', 0.3],
    ['openai-chat', 'any', 'auto', 1],
    ['reference', 'image', 'llm', 0],
    ['openai-chat', 'mixed', 'auto', /'openai-chat' cannot send mixed traffic/],
    ['openai-images', 'llm', 'auto', /'openai-images' cannot send llm traffic/],
    ['openai-chat', 'auto', 'image', /cannot send image traffic/],
  ];
  for (const [api, wanted, cls, want] of cases) {
    const run = () => llmShareFor(api, wanted, cls, 0.3);
    if (want instanceof RegExp) assert.throws(run, want, `${api} ${wanted}`);
    else assert.equal(run(), want, `${api} ${wanted} ${cls}`);
  }
});

test('bodyOf: chat carries the messages, stream_options when streamed, ignore_eos and min_tokens when forced', () => {
  const b = parsed(bodyOf(turns, 11, opts('openai-chat', { stream: true, ignoreEos: true })));
  assert.deepEqual(b, {
    model: 'm',
    messages: turns.messages,
    max_tokens: 4,
    seed: 11,
    stream: true,
    stream_options: { include_usage: true },
    ignore_eos: true,
    min_tokens: 4,
  });
  assert.deepEqual(parsed(bodyOf(llm, 1, opts('reference', { model: undefined }))), {
    messages: llm.messages,
    max_tokens: 8,
    seed: 1,
    stream: false,
  });
});

test('bodyOf: APIs without chat messages get one text; TGI, KServe and completions field names', () => {
  assert.equal(promptText(turns), 'S\n\nU1\n\nA1\n\nU2');
  assert.deepEqual(parsed(bodyOf(llm, 2, opts('openai-completions'))), {
    model: 'm',
    prompt: 'say "hi"',
    max_tokens: 8,
    seed: 2,
    stream: false,
  });
  assert.deepEqual(parsed(bodyOf(llm, 2, opts('tgi'))), {
    inputs: 'say "hi"',
    parameters: { max_new_tokens: 8, seed: 2, details: true },
  });
  const k = parsed(bodyOf(llm, 2, opts('kserve-v2'))) as { inputs: Array<{ name: string; data: unknown[] }> };
  assert.deepEqual(
    k.inputs.map((t) => [t.name, t.data[0]]),
    [
      ['text_input', 'say "hi"'],
      ['max_tokens', 8],
    ],
  );
  const ki = parsed(bodyOf(image, 5, opts('kserve-v2'))) as { inputs: Array<{ name: string; data: unknown[] }> };
  assert.deepEqual(
    ki.inputs.map((t) => [t.name, t.data[0]]),
    [
      ['prompt', 'a cat'],
      ['steps', 4],
      ['width', 64],
      ['height', 64],
      ['seed', 5],
    ],
  );
});

test('bodyOf: images (the reference adds steps, guidance and seed), jobs, generic-json template; refusals', () => {
  assert.deepEqual(parsed(bodyOf(image, 3, opts('reference'))), {
    model: 'm',
    prompt: 'a cat',
    n: 1,
    size: '64x64',
    response_format: 'b64_json',
    steps: 4,
    guidance_scale: 7.5,
    seed: 3,
  });
  assert.deepEqual(parsed(bodyOf(image, 3, opts('openai-images'))), {
    model: 'm',
    prompt: 'a cat',
    n: 1,
    size: '64x64',
    response_format: 'b64_json',
  });
  assert.deepEqual(parsed(bodyOf(llm, 3, opts('reference', { job: true }))), {
    kind: 'completion',
    request: { model: 'm', prompt: 'say "hi"', max_tokens: 8, seed: 3 },
  });
  assert.deepEqual(parsed(bodyOf(image, 3, opts('reference', { job: true }))), {
    kind: 'image',
    request: { model: 'm', prompt: 'a cat', n: 1, size: '64x64', steps: 4, seed: 3 },
  });
  assert.equal(bodyOf(llm, 3, opts('generic-json')), '{"p":"say \\"hi\\"","n":8}');
  assert.equal(
    fillTemplate('{{steps}} {{sizePx}} {{seed}} {{model}} {{other}}', image, 9, 'x"y'),
    '4 64 9 x\\"y {{other}}',
  );
  assert.throws(() => bodyOf(image, 1, opts('openai-chat')), /cannot send image requests/);
  assert.throws(() => bodyOf(llm, 1, opts('openai-images')), /has no LLM body/);
});

test('authorizationHeader: an API key wins over TARGET credentials; neither, no header', () => {
  assert.deepEqual(authorizationHeader('sk', 'dTpw'), { authorization: 'Bearer sk' });
  assert.deepEqual(authorizationHeader(undefined, 'dTpw'), { authorization: 'Basic dTpw' });
  assert.deepEqual(authorizationHeader(undefined, undefined), {});
});
