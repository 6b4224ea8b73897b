import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BOS, EOS, PAD, IncrementalDecoder, encode, encodeFixed, encodePrompt } from './tokenizer.ts';

function decodeAll(tokens: number[]): { pieces: string[]; text: string } {
  const d = new IncrementalDecoder();
  const pieces = tokens.map((t) => d.push(t));
  pieces.push(d.flush());
  return { pieces, text: pieces.join('') };
}

test('round trip, including multi-byte UTF-8', () => {
  for (const text of ['', 'hello', 'héllo wörld', '日本語', 'emoji 🚀 ok', 'a\u0000b']) {
    assert.equal(decodeAll(encode(text)).text, text);
  }
});

test('a character split across tokens is held back, never emitted half', () => {
  const tokens = encode('🚀'); // 4 bytes
  assert.equal(tokens.length, 4);
  const { pieces } = decodeAll(tokens);
  assert.deepEqual(pieces, ['', '', '', '🚀', '']);
});

test('special tokens give no text; invalid bytes give U+FFFD', () => {
  assert.equal(decodeAll([BOS, 104, 105, EOS, PAD]).text, 'hi');
  assert.equal(decodeAll([0xff, 65]).text, '\ufffdA');
  assert.equal(decodeAll([0xe6, 0x97]).text, '\ufffd'); // unfinished at the end
});

test('encodeFixed pads and truncates to exactly the length', () => {
  assert.deepEqual(Array.from(encodeFixed('hi', 6), Number), [BOS, 104, 105, EOS, PAD, PAD]);
  assert.deepEqual(Array.from(encodeFixed('abcdef', 4), Number), [BOS, 97, 98, EOS]);
});

test('encodePrompt keeps the end of a long prompt', () => {
  assert.deepEqual(encodePrompt('abcdef', 4), [BOS, 100, 101, 102]);
  assert.deepEqual(encodePrompt('ab', 10), [BOS, 97, 98]);
});
