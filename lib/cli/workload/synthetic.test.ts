import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  acrossWordsBpeJson,
  byteLevelBpeJson,
  llama3BpeJson,
  sentencePieceBpeJson,
  wordLevelJson,
  writeTokenizerJson,
} from '../../../test/fixtures/tokenizer-json.ts';
import { DISTINCT_TOKENS, PromptMaker } from './synthetic.ts';
import { builtinTokenizer, bytesTokenizer, loadTokenizer, type Tokenizer } from './tokenizer.ts';

const dir = mkdtempSync(join(tmpdir(), 'genload-syn-'));
const tokenizers: Array<[string, Tokenizer]> = [
  ['builtin o200k_base', builtinTokenizer()],
  ['bytes', bytesTokenizer()],
  ['HF byte-level BPE', loadTokenizer(writeTokenizerJson(dir, 'bpe', byteLevelBpeJson()))],
  ['HF Llama-3 style BPE', loadTokenizer(writeTokenizerJson(dir, 'llama3', llama3BpeJson()))],
  ['HF SentencePiece-style BPE', loadTokenizer(writeTokenizerJson(dir, 'spm', sentencePieceBpeJson()))],
  ['HF WordLevel (no round trip)', loadTokenizer(writeTokenizerJson(dir, 'wl', wordLevelJson()))],
];
/** counts do not add up over words: the maker must fall back to encoding whole prompts */
const across = loadTokenizer(writeTokenizerJson(dir, 'across', acrossWordsBpeJson()));

for (const [name, tok] of tokenizers) {
  test(`exact: every count is hit exactly, counted per word without encoding (${name})`, () => {
    const maker = new PromptMaker(tok);
    assert.equal(maker.mode.fast, true, maker.mode.reason);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 700 }), fc.integer({ min: 0, max: 2 ** 31 }), (n, seed) => {
        const r = maker.exact(n, seed);
        const ids = tok.encode(r.text);
        assert.equal(ids.length, n);
        assert.equal(r.tokens, n);
        assert.equal(r.startKey, ids.slice(0, DISTINCT_TOKENS).join(','));
        assert.equal(maker.count(r.text), n);
        assert.equal(maker.exact(n, seed).text, r.text, 'deterministic');
      }),
      { numRuns: 150, seed: 42 },
    );
  });
}

test('exact: 1-token and long prompts, with a fresh maker each time (no learnt state needed)', () => {
  for (const [, tok] of [...tokenizers, ['across', across] as const])
    for (const n of [1, 2, 3, 4096]) assert.equal(tok.encode(new PromptMaker(tok).exact(n, n).text).length, n);
});

test('fallback: a tokenizer whose tokens reach across words is refused the fast path by calibration, and stays exact', () => {
  assert.equal(across.additivity.additive, true, 'its structure (a Split pre-tokenizer) does not show it');
  const maker = new PromptMaker(across);
  assert.equal(maker.mode.fast, false);
  assert.match(maker.mode.reason, /^calibration: .* \(words do not add up\)$/);
  for (let i = 0; i < 40; i++) {
    const n = 1 + ((i * 53) % 300);
    const r = maker.distinct(n, i);
    const ids = across.encode(r.text);
    assert.equal(ids.length, n);
    assert.equal(r.startKey, ids.slice(0, DISTINCT_TOKENS).join(','));
    assert.equal(maker.count(r.text), n);
  }
});

test("prompts are the seed's prose: the same words as prose() up to the last one or two", () => {
  const maker = new PromptMaker(builtinTokenizer());
  const a = maker.exact(300, 9).text;
  const b = maker.exact(200, 9).text;
  const common = b.split(' ').slice(0, -2).join(' ');
  assert.ok(a.startsWith(common), `${a}\n---\n${b}`);
  assert.doesNotMatch(a, /\n\n$/);
});

test('distinct: the first tokens differ across 10,000 prompts (builtin)', () => {
  const tok = builtinTokenizer();
  const maker = new PromptMaker(tok);
  const starts = new Set<string>();
  for (let i = 0; i < 10_000; i++) {
    const n = 4 + (i % 61);
    const r = maker.distinct(n, i);
    starts.add(r.startKey);
    if (i % 100 === 0) assert.equal(tok.encode(r.text).slice(0, DISTINCT_TOKENS).join(','), r.startKey);
  }
  assert.equal(starts.size, 10_000);
});

test('distinct: the first tokens differ across 2,000 prompts (HF BPE)', () => {
  const tok = tokenizers[2]![1];
  const maker = new PromptMaker(tok);
  const starts = new Set<string>();
  for (let i = 0; i < 2000; i++) {
    const r = maker.distinct(8 + (i % 20), i);
    starts.add(tok.encode(r.text).slice(0, DISTINCT_TOKENS).join(','));
  }
  assert.equal(starts.size, 2000);
});

test('without distinct, the same seed gives the same start (the registry is what separates them)', () => {
  const maker = new PromptMaker(builtinTokenizer());
  const a = maker.distinct(16, 5);
  const b = maker.distinct(16, 5);
  assert.notEqual(a.startKey, b.startKey);
  assert.equal(maker.exact(16, 5).text, a.text);
});

test('distinct is best effort: when the tokenizer has too few starts, prompts are still exact', () => {
  const tok = builtinTokenizer();
  const maker = new PromptMaker(tok);
  const texts = Array.from({ length: 300 }, (_, i) => maker.distinct(1, i).text);
  assert.ok(texts.every((t) => tok.encode(t).length === 1));
});

test('count: texts that are not genload prose are encoded', () => {
  for (const [, tok] of tokenizers) {
    const maker = new PromptMaker(tok);
    for (const text of ['Hello  there.', ' leading', 'trailing\n\n', 'naïve café', 'The harbour;', 'A\nB', ''])
      assert.equal(maker.count(text), tok.encode(text).length, JSON.stringify(text));
  }
});

test('fast path: prompts are not encoded; words are measured once and then looked up', () => {
  const inner = builtinTokenizer();
  let encodes = 0;
  const tok: Tokenizer = { ...inner, encode: (text) => (encodes++, inner.encode(text)) };
  const maker = new PromptMaker(tok);
  assert.equal(maker.mode.fast, true);
  for (let i = 0; i < 1000; i++) maker.distinct(128 + (i % 385), i);
  const warm = encodes;
  for (let i = 1000; i < 3000; i++) maker.distinct(128 + (i % 385), i);
  assert.ok(encodes - warm < 100, `${encodes - warm} encodes for 2,000 more prompts (after ${warm} to warm up)`);
});

test('a tokenizer whose words count no tokens is refused the fast path, not looped on', () => {
  const inner = builtinTokenizer();
  const tok: Tokenizer = {
    ...inner,
    name: 'silent',
    encode: (text) => (/^[\sA-Za-z,.?]*$/.test(text) ? [] : inner.encode(text)),
  };
  const maker = new PromptMaker(tok);
  assert.equal(maker.mode.fast, false);
  assert.match(maker.mode.reason, /calibration: cannot build a text of 1 tokens with tokenizer silent/);
});
