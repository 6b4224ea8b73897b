import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { byteLevelBpeJson, wordLevelJson, writeTokenizerJson } from '../../../test/fixtures/tokenizer-json.ts';
import { DISTINCT_TOKENS, PromptMaker } from './synthetic.ts';
import { builtinTokenizer, loadTokenizer, type Tokenizer } from './tokenizer.ts';

const dir = mkdtempSync(join(tmpdir(), 'genload-syn-'));
const tokenizers: Array<[string, Tokenizer]> = [
  ['builtin o200k_base', builtinTokenizer()],
  ['HF byte-level BPE', loadTokenizer(writeTokenizerJson(dir, 'bpe', byteLevelBpeJson()))],
  ['HF WordLevel (no round trip)', loadTokenizer(writeTokenizerJson(dir, 'wl', wordLevelJson()))],
];

for (const [name, tok] of tokenizers) {
  test(`exact: every count is hit exactly (${name})`, () => {
    const maker = new PromptMaker(tok);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 700 }), fc.integer({ min: 0, max: 2 ** 31 }), (n, seed) => {
        const r = maker.exact(n, seed);
        assert.equal(tok.encode(r.text).length, n);
        assert.deepEqual(r.ids, tok.encode(r.text));
        assert.equal(maker.exact(n, seed).text, r.text, 'deterministic');
      }),
      { numRuns: 150, seed: 42 },
    );
  });
}

test('exact: 1-token and long prompts, with a fresh maker each time (no learnt state needed)', () => {
  for (const [, tok] of tokenizers)
    for (const n of [1, 2, 3, 4096]) assert.equal(tok.encode(new PromptMaker(tok).exact(n, n).text).length, n);
});

test('distinct: the first tokens differ across 10,000 prompts (builtin)', () => {
  const tok = builtinTokenizer();
  const maker = new PromptMaker(tok);
  const starts = new Set<string>();
  for (let i = 0; i < 10_000; i++) {
    const n = 4 + (i % 61);
    const r = maker.distinct(n, i);
    assert.equal(r.ids.length, n);
    starts.add(r.ids.slice(0, DISTINCT_TOKENS).join(','));
  }
  assert.equal(starts.size, 10_000);
});

test('distinct: the first tokens differ across 2,000 prompts (HF BPE)', () => {
  const tok = tokenizers[1]![1];
  const maker = new PromptMaker(tok);
  const starts = new Set<string>();
  for (let i = 0; i < 2000; i++)
    starts.add(
      maker
        .distinct(8 + (i % 20), i)
        .ids.slice(0, DISTINCT_TOKENS)
        .join(','),
    );
  assert.equal(starts.size, 2000);
});

test('without distinct, the same seed gives the same start (the registry is what separates them)', () => {
  const maker = new PromptMaker(builtinTokenizer());
  const a = maker.distinct(16, 5);
  const b = maker.distinct(16, 5);
  assert.notEqual(a.ids.slice(0, 4).join(), b.ids.slice(0, 4).join());
  assert.equal(maker.exact(16, 5).text, a.text);
});

test('distinct is best effort: when the tokenizer has too few starts, prompts are still exact', () => {
  const tok = builtinTokenizer();
  const maker = new PromptMaker(tok);
  const texts = Array.from({ length: 300 }, (_, i) => maker.distinct(1, i).text);
  assert.ok(texts.every((t) => tok.encode(t).length === 1));
});
