import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workloadItemList, type WorkloadSpec } from './build.ts';
import { WorkloadInputError } from './errors.ts';
import { byteLevelBpeJson, writeTokenizerJson } from '../../../test/fixtures/tokenizer-json.ts';
import type { LlmItem, WorkloadItem } from './items.ts';
import { parseLengthDist, parseTokenPairs } from './lengths.ts';
import { BLOCK_TOKENS, parseTrace } from './trace.ts';
import { builtinTokenizer, loadTokenizer, type Tokenizer } from './tokenizer.ts';

const tok = builtinTokenizer();
const hf = loadTokenizer(writeTokenizerJson(mkdtempSync(join(tmpdir(), 'genload-build-')), 'bpe', byteLevelBpeJson()));

const spec = (over: Partial<WorkloadSpec> = {}): WorkloadSpec => ({
  seed: 7,
  count: 200,
  llmShare: 1,
  input: parseLengthDist('INPUT_TOKENS', '16..64'),
  output: parseLengthDist('OUTPUT_TOKENS', '8..32'),
  tokenizer: tok,
  sizeMixPx: [64],
  stepsMix: [8],
  ...over,
});

const llm = (items: WorkloadItem[]) => items.filter((i): i is LlmItem => i.class === 'llm');
const counted = (t: Tokenizer, item: LlmItem) => item.messages.reduce((n, m) => n + t.encode(m.content).length, 0);

test('synthetic: deterministic for a seed, exact input counts, output from the distribution', () => {
  for (const tokenizer of [tok, hf]) {
    const a = workloadItemList(spec({ tokenizer }));
    assert.deepEqual(workloadItemList(spec({ tokenizer })), a);
    assert.notDeepEqual(workloadItemList(spec({ tokenizer, seed: 8 })), a);
    for (const item of llm(a)) {
      assert.equal(item.messages.length, 1);
      assert.equal(item.messages[0]!.role, 'user');
      assert.ok(item.inputTokens >= 16 && item.inputTokens <= 64);
      assert.equal(counted(tokenizer, item), item.inputTokens);
      assert.ok(item.outputTokens >= 8 && item.outputTokens <= 32);
    }
  }
});

test('TOKEN_PAIRS replace both distributions', () => {
  const items = llm(workloadItemList(spec({ pairs: parseTokenPairs('10:5,40:20') })));
  assert.deepEqual([...new Set(items.map((i) => `${i.inputTokens}:${i.outputTokens}`))].sort(), ['10:5', '40:20']);
  for (const i of items) assert.equal(counted(tok, i), i.inputTokens);
});

test('llmShare draws the class per request; images take the size and step mixes', () => {
  const items = workloadItemList(spec({ count: 2000, llmShare: 0.3, sizeMixPx: [64, 128], stepsMix: [4, 8, 20] }));
  const share = llm(items).length / items.length;
  assert.ok(Math.abs(share - 0.3) < 0.04, `llm share ${share}`);
  const images = items.filter((i) => i.class === 'image');
  assert.deepEqual(
    [...new Set(images.map((i) => i.sizePx))].sort((x, y) => x - y),
    [64, 128],
  );
  assert.deepEqual(
    [...new Set(images.map((i) => i.steps))].sort((x, y) => x - y),
    [4, 8, 20],
  );
  assert.ok(images.every((i) => i.prompt.length > 10));
  assert.ok(workloadItemList(spec({ llmShare: 0 })).every((i) => i.class === 'image'));
});

test('shared prefixes: N distinct system prompts of exactly T tokens on a share f of requests', () => {
  const items = llm(workloadItemList(spec({ count: 3000, prefixes: { count: 5, tokens: 100, share: 0.4 } })));
  const withPrefix = items.filter((i) => i.prefix !== undefined);
  assert.ok(Math.abs(withPrefix.length / items.length - 0.4) < 0.03, `share ${withPrefix.length / items.length}`);
  const systems = new Map<number, string>();
  for (const i of withPrefix) {
    assert.equal(i.messages[0]!.role, 'system');
    assert.equal(tok.encode(i.messages[0]!.content).length, 100);
    const seen = systems.get(i.prefix!);
    if (seen !== undefined) assert.equal(i.messages[0]!.content, seen, 'one text per prefix id');
    systems.set(i.prefix!, i.messages[0]!.content);
    assert.equal(counted(tok, i), i.inputTokens);
    assert.ok(i.inputTokens >= 116 && i.inputTokens <= 164, 'the prefix adds to the sampled input length');
  }
  assert.deepEqual([...systems.keys()].sort(), [0, 1, 2, 3, 4]);
  assert.equal(new Set(systems.values()).size, 5);
  assert.equal(new Set([...systems.values()].map((s) => tok.encode(s).slice(0, 4).join())).size, 5);
  assert.ok(
    items.filter((i) => i.prefix === undefined).every((i) => i.messages.length === 1 && i.messages[0]!.role === 'user'),
  );
});

test('user prompts never share their first 4 tokens unless a prefix is asked for', () => {
  const items = llm(workloadItemList(spec({ count: 3000 })));
  assert.equal(new Set(items.map((i) => tok.encode(i.messages[0]!.content).slice(0, 4).join())).size, 3000);
});

test('multi-turn: turn t follows turn t-1 and carries the earlier turns and replies', () => {
  const items = workloadItemList(
    spec({
      count: 600,
      llmShare: 0.8,
      turns: 3,
      conversationsInFlight: 4,
      prefixes: { count: 2, tokens: 20, share: 0.5 },
    }),
  );
  const last = new Map<number, { turn: number; item: LlmItem }>();
  let interleaved = false;
  let previousConversation = -1;
  for (const item of llm(items)) {
    assert.ok(item.conversation !== undefined && item.turn !== undefined);
    const before = last.get(item.conversation);
    assert.equal(item.turn, (before?.turn ?? 0) + 1, `conversation ${item.conversation}`);
    assert.ok(item.turn <= 3);
    const users = item.messages.filter((m) => m.role === 'user');
    const replies = item.messages.filter((m) => m.role === 'assistant');
    assert.equal(users.length, item.turn);
    assert.equal(replies.length, item.turn - 1);
    assert.equal(counted(tok, item), item.inputTokens);
    if (before !== undefined) {
      assert.deepEqual(
        item.messages.slice(0, before.item.messages.length),
        before.item.messages,
        'the history is the earlier request',
      );
      const reply = item.messages[before.item.messages.length]!;
      assert.equal(reply.role, 'assistant');
      assert.equal(
        tok.encode(reply.content).length,
        before.item.outputTokens,
        'the reply has the earlier requested output length',
      );
      assert.equal(item.prefix, before.item.prefix);
    }
    if (previousConversation !== -1 && item.conversation !== previousConversation && before !== undefined)
      interleaved = true;
    previousConversation = item.conversation;
    last.set(item.conversation, { turn: item.turn, item });
  }
  assert.ok(interleaved, 'conversations interleave');
  assert.ok([...last.values()].filter((c) => c.turn === 3).length > 100);
});

test('maxPromptChars cuts contents and recounts inputTokens', () => {
  const items = llm(
    workloadItemList(spec({ input: parseLengthDist('INPUT_TOKENS', '200'), maxPromptChars: 300, turns: 2 })),
  );
  for (const i of items) {
    assert.ok(i.messages.reduce((n, m) => n + m.content.length, 0) <= 300);
    assert.equal(i.messages.at(-1)!.role, 'user');
    assert.notEqual(i.messages[0]!.role, 'assistant');
    assert.equal(counted(tok, i), i.inputTokens);
    assert.ok(i.inputTokens < 200);
  }
});

test('dataset entries in file order, cycled to count; missing max_tokens from OUTPUT_TOKENS', () => {
  const dataset = [
    { class: 'llm' as const, messages: [{ role: 'user' as const, content: 'Hello there.' }], outputTokens: 5 },
    {
      class: 'llm' as const,
      messages: [
        { role: 'system' as const, content: 'Be brief.' },
        { role: 'user' as const, content: 'Why?' },
      ],
    },
    { class: 'image' as const, prompt: 'A red fox', sizePx: 512 },
  ];
  const items = workloadItemList(spec({ dataset, count: 7, output: parseLengthDist('OUTPUT_TOKENS', '33') }));
  assert.deepEqual(
    items.map((i) => i.class),
    ['llm', 'llm', 'image', 'llm', 'llm', 'image', 'llm'],
  );
  const [a, b, c] = items as [LlmItem, LlmItem, WorkloadItem];
  assert.equal(a.outputTokens, 5);
  assert.equal(a.inputTokens, tok.encode('Hello there.').length);
  assert.equal(b.outputTokens, 33);
  assert.equal(b.inputTokens, tok.encode('Be brief.').length + tok.encode('Why?').length);
  assert.deepEqual(c, { class: 'image', prompt: 'A red fox', sizePx: 512, steps: 8 });
});

test('trace: one request a row with atMs; hash ids share exact 512-token blocks', () => {
  const rows = parseTrace(
    [
      { timestamp: 1000, input_length: 1100, output_length: 10, hash_ids: [1, 2, 3] },
      { timestamp: 1500, input_length: 1024, output_length: 20, hash_ids: [1, 2] },
      { timestamp: 2500, input_length: 700, output_length: 30, hash_ids: [1, 9] },
      { timestamp: 2600, input_length: 50, output_length: 40 },
    ]
      .map((r) => JSON.stringify(r))
      .join('\n'),
    2,
  );
  for (const tokenizer of [tok, hf]) {
    const items = llm(workloadItemList(spec({ trace: rows, count: 1, tokenizer })));
    assert.deepEqual(
      items.map((i) => i.atMs),
      [0, 250, 750, 800],
    );
    assert.deepEqual(
      items.map((i) => [i.inputTokens, i.outputTokens]),
      [
        [1100, 10],
        [1024, 20],
        [700, 30],
        [50, 40],
      ],
    );
    for (const i of items) assert.equal(counted(tokenizer, i), i.inputTokens);
    const texts = items.map((i) => i.messages[0]!.content);
    const block = texts[1]!.slice(0, 200);
    assert.ok(texts[0]!.startsWith(block) && texts[2]!.startsWith(block), 'hash id 1 is the same text');
    assert.ok(texts[0]!.startsWith(texts[1]!.slice(0, texts[1]!.length - 50)), 'blocks 1 and 2 are shared');
    assert.ok(!texts[3]!.startsWith(block.slice(0, 20)));
    assert.equal(BLOCK_TOKENS, 512);
  }
});

test('a bad spec lists every problem', () => {
  assert.throws(
    () =>
      workloadItemList(
        spec({ count: 0, llmShare: 2, turns: 0, sizeMixPx: [], prefixes: { count: 0, tokens: 1, share: 3 } }),
      ),
    (err: unknown) => {
      assert.ok(err instanceof WorkloadInputError);
      const text = err.problems.join('\n');
      for (const re of [
        /count: must be a whole number >= 1, but is 0/,
        /llmShare: must be in 0\.\.1, but is 2/,
        /turns:/,
        /sizeMixPx:/,
        /prefixes\.count:/,
        /prefixes\.share:/,
      ])
        assert.match(text, re);
      return true;
    },
  );
});
