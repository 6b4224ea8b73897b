import { createHash } from 'node:crypto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededUniform } from '../../shared/stats/random.ts';
import { imagePrompt, openingSentence, prose, sentence } from './text.ts';

test('prose is deterministic for a seed and differs between seeds', () => {
  assert.equal(prose(seededUniform(1), 500), prose(seededUniform(1), 500));
  assert.notEqual(prose(seededUniform(1), 500), prose(seededUniform(2), 500));
  assert.ok(prose(seededUniform(3), 500).length >= 500);
  assert.ok(prose(seededUniform(3), 0).length > 0, 'the opening sentence even for 0 characters');
});

test('sentences are capitalised, punctuated, made of words, with "an" before vowels', () => {
  const u = seededUniform(4);
  const all = Array.from({ length: 2000 }, () => sentence(u)).concat(
    Array.from({ length: 200 }, () => openingSentence(u)),
  );
  for (const s of all) {
    assert.match(s, /^[A-Z][a-z]*,?( [a-z]+,?)+[.?]$/, s);
    assert.doesNotMatch(s, /\ba [aeiou]/i, s);
    assert.doesNotMatch(s, /\ban [^aeiou]/i, s);
  }
  const words = new Set(
    all
      .join(' ')
      .toLowerCase()
      .match(/[a-z]+/g),
  );
  assert.ok(words.size > 300, `a varied vocabulary (${words.size} words)`);
  const kinds = new Set(all.map((s) => s.slice(-1)));
  assert.deepEqual([...kinds].sort(), ['.', '?']);
});

test('prose has paragraphs and is not word soup: sentences of 4 to 40 words', () => {
  const text = prose(seededUniform(5), 20_000);
  assert.ok(text.includes('\n\n'));
  const sentences = text.split(/(?<=[.?])\s+/);
  for (const s of sentences) {
    const n = s.split(' ').length;
    assert.ok(n >= 4 && n <= 40, `${n} words: ${s}`);
  }
});

test('image prompts are short natural phrases', () => {
  const u = seededUniform(6);
  const prompts = Array.from({ length: 200 }, () => imagePrompt(u));
  assert.ok(new Set(prompts).size > 190);
  for (const p of prompts) assert.match(p, /^An? [a-z]+ [a-z]+ [a-z]+ an? [a-z]+ [a-z]+, [a-z ]+$/, p);
});

test('fast: 100,000 prompts of 1,000 characters in a few seconds', () => {
  const t0 = performance.now();
  for (let i = 0; i < 100_000; i++) prose(seededUniform(i), 1000);
  const seconds = (performance.now() - t0) / 1000;
  assert.ok(seconds < 10, `${seconds.toFixed(2)} s`);
});

test('the prose is what it was before the grammar emitted words (hash of 50 seeds, from the string-built grammar)', () => {
  const all = Array.from({ length: 50 }, (_, i) => prose(seededUniform(i), 3000) + imagePrompt(seededUniform(i)));
  assert.equal(
    createHash('sha256').update(all.join('|')).digest('hex'),
    '8789df13c97fed7651ebfdc9809c4456f5471021064cec7144d81609e6fc793e',
  );
});
