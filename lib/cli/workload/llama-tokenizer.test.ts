// The Llama-style tokenizer.json that bench/peers/hf-tokenizer.ts writes from a
// vocab GGUF (SentencePiece pieces, metaspace, byte fallback, a decoder that strips
// the leading space), here from a small vocab GGUF made in the test from genload's
// prose: exact counts must hold for it too. And Llama 3's real vocabulary when the
// llama.cpp test target is installed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { writeHfTokenizer } from '../../../bench/peers/hf-tokenizer.ts';
import { extractLlama3Vocab, verifyLlama3, writeLlama3Tokenizer } from '../../../bench/workload/llama3-vocab.ts';
import { T, writeGguf } from '../../../test/targets/llama-cpp/gguf.ts';
import { seededUniform } from '../../shared/stats/random.ts';
import { workloadItemList } from './build.ts';
import { parseLengthDist } from './lengths.ts';
import { PromptMaker } from './synthetic.ts';
import { prose } from './text.ts';
import { loadTokenizer } from './tokenizer.ts';

/** Pieces: specials, 256 byte tokens, then every prefix of every "▁word" and punctuation (shorter first, so merges build words bottom-up). */
function vocabGguf(): Uint8Array {
  const words = new Set(prose(seededUniform(3), 100_000).match(/[A-Za-z]+|[^A-Za-z\s]/g));
  const pieces = new Set<string>(['▁']);
  for (const w of words) {
    for (const form of [`▁${w}`, w]) for (let k = 1; k <= form.length; k++) pieces.add(form.slice(0, k));
  }
  const normal = [...pieces].sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
  const bytes = Array.from({ length: 256 }, (_, b) => `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
  const tokens = ['<unk>', '<s>', '</s>', ...bytes, ...normal];
  const type = (i: number) => (i === 0 ? 2 : i < 3 ? 3 : i < 259 ? 6 : 1);
  return writeGguf(
    [
      ['general.architecture', { type: T.string, value: 'llama' }],
      ['tokenizer.ggml.model', { type: T.string, value: 'llama' }],
      ['tokenizer.ggml.tokens', { type: T.array, elemType: T.string, values: tokens }],
      ['tokenizer.ggml.scores', { type: T.array, elemType: T.f32, values: tokens.map((_, i) => -i) }],
      ['tokenizer.ggml.token_type', { type: T.array, elemType: T.i32, values: tokens.map((_, i) => type(i)) }],
      ['tokenizer.ggml.bos_token_id', { type: T.u32, value: 1 }],
      ['tokenizer.ggml.eos_token_id', { type: T.u32, value: 2 }],
    ],
    [],
  );
}

const dir = mkdtempSync(join(tmpdir(), 'genload-llama-tok-'));
writeFileSync(join(dir, 'vocab.gguf'), vocabGguf());
const tok = loadTokenizer(writeHfTokenizer(join(dir, 'vocab.gguf'), join(dir, 'hf')));

test('the Llama tokenizer.json loads (with its tokenizer_config.json) and counts words as pieces', () => {
  assert.equal(tok.name, join(dir, 'hf', 'tokenizer.json'));
  const ids = tok.encode('The quiet engineer repaired the bridge.');
  assert.equal(ids.length, 7, String(ids));
  assert.equal(tok.decode(ids), 'The quiet engineer repaired the bridge.');
  assert.ok(tok.encode('naïve\n').length > 3, 'byte fallback for characters outside the vocab');
});

test('exact counts with the Llama tokenizer (decode strips the leading space, newlines fall back to bytes)', () => {
  const maker = new PromptMaker(tok);
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 0, max: 2 ** 31 }), (n, seed) => {
      assert.equal(tok.encode(maker.exact(n, seed).text).length, n);
    }),
    { numRuns: 60, seed: 3 },
  );
  const items = workloadItemList({
    seed: 1,
    count: 60,
    llmShare: 1,
    input: parseLengthDist('INPUT_TOKENS', '1..200'),
    output: parseLengthDist('OUTPUT_TOKENS', '1..40'),
    tokenizer: tok,
    sizeMixPx: [64],
    stepsMix: [8],
    turns: 2,
    prefixes: { count: 2, tokens: 30, share: 0.5 },
  });
  for (const item of items)
    if (item.class === 'llm')
      assert.equal(
        item.messages.reduce((a, m) => a + tok.encode(m.content).length, 0),
        item.inputTokens,
      );
});

// Llama 3's real vocabulary (128,256 tokens), when `make llama-cpp` has cached llama-cpp-python's sdist
const SDIST = join(homedir(), '.cache/genload/llama-cpp-python-0.3.36/sdist/llama_cpp_python-0.3.36.tar.gz');
test(
  "Llama 3's vocabulary: llama.cpp's test vectors, counted per word, every prompt exact",
  { skip: existsSync(SDIST) ? false : `no ${SDIST} (make llama-cpp caches it)` },
  () => {
    const gguf = extractLlama3Vocab(SDIST, '0.3.36', join(dir, 'sdist'));
    const llama3 = loadTokenizer(writeLlama3Tokenizer(gguf, join(dir, 'llama3')));
    assert.deepEqual(verifyLlama3(gguf, llama3), { differ: 0, of: 47 });
    const maker = new PromptMaker(llama3);
    assert.equal(maker.mode.fast, true, maker.mode.reason);
    const items = workloadItemList({
      seed: 2,
      count: 400,
      llmShare: 1,
      input: parseLengthDist('INPUT_TOKENS', '1..600'),
      output: parseLengthDist('OUTPUT_TOKENS', '1..40'),
      tokenizer: llama3,
      sizeMixPx: [64],
      stepsMix: [8],
      turns: 2,
      prefixes: { count: 3, tokens: 50, share: 0.5 },
      maxPromptChars: 2000,
    });
    for (const item of items)
      if (item.class === 'llm')
        assert.equal(
          item.messages.reduce((a, m) => a + llama3.encode(m.content).length, 0),
          item.inputTokens,
        );
  },
);
