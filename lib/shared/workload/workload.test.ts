import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededUniform } from '../stats/random.ts';
import { mean } from '../stats/summary.ts';
import { DEFAULT_WORKLOAD, parseWorkload, promptText, sampleClass, sampleWork, samplePromptWords, WorkloadError, type Workload } from './index.ts';
import { POOL_WORDS } from './prompts.ts';

test('parseWorkload fills defaults and coerces CLI strings', () => {
  const w = parseWorkload({ promptSet: 'short', maxTokens: '32', stream: 'false', stepsMix: '4,8' });
  assert.equal(w.promptSet, 'short');
  assert.equal(w.maxTokens, 32);
  assert.equal(w.stream, false);
  assert.equal(w.stepsMix, '4,8');
  assert.equal(w.sizePx, DEFAULT_WORKLOAD.sizePx);
});

test('parseWorkload lists every problem', () => {
  try {
    parseWorkload({ promptSet: 'huge', maxTokens: 0, stepsMix: '4,x', colour: 'red', classMix: 1.5 });
    assert.fail('expected WorkloadError');
  } catch (err) {
    assert.ok(err instanceof WorkloadError);
    const text = err.problems.join('\n');
    assert.match(text, /workload\.promptSet: .*but is "huge"/);
    assert.match(text, /workload\.maxTokens: .*but is 0/);
    assert.match(text, /workload\.stepsMix: must be a comma-separated list.*but is "4,x"/);
    assert.match(text, /unknown key 'colour'/);
    assert.match(text, /workload\.classMix: .*but is 1\.5/);
  }
});

test('prompt sets have the documented medians', () => {
  const u = seededUniform(3);
  const med = (set: 'short' | 'long' | 'mixed') => {
    const xs = Array.from({ length: 2001 }, () => samplePromptWords(u, set)).sort((a, b) => a - b);
    return xs[1000]!;
  };
  assert.ok(Math.abs(med('short') - 16) <= 2);
  assert.ok(Math.abs(med('long') - 256) <= 20);
  const mixed = Array.from({ length: 4000 }, () => samplePromptWords(u, 'mixed'));
  const shortShare = mixed.filter((n) => n <= 64).length / mixed.length;
  assert.ok(Math.abs(shortShare - 0.7) < 0.03, `short share ${shortShare}`);
});

test('sampleWork is deterministic per seed and honours the mixes', () => {
  const w: Workload = { ...DEFAULT_WORKLOAD, stepsMix: '4,20', sizeMix: '64,128', maxTokensDist: 'uniform', maxTokens: 10 };
  assert.deepEqual(sampleWork(seededUniform(1), w, 'llm'), sampleWork(seededUniform(1), w, 'llm'));
  const u = seededUniform(2);
  const images = Array.from({ length: 400 }, () => sampleWork(u, w, 'image'));
  assert.deepEqual([...new Set(images.map((i) => (i.class === 'image' ? i.steps : 0)))].sort((a, b) => a - b), [4, 20]);
  assert.deepEqual([...new Set(images.map((i) => (i.class === 'image' ? i.sizePx : 0)))].sort((a, b) => a - b), [64, 128]);
  const llm = Array.from({ length: 1000 }, () => sampleWork(u, w, 'llm'));
  const maxTokens = llm.map((r) => (r.class === 'llm' ? r.maxTokens : 0));
  assert.ok(Math.min(...maxTokens) >= 1 && Math.max(...maxTokens) <= 10);
  assert.ok(Math.abs(mean(maxTokens) - 5.5) < 0.4);
  const first = llm[0]!;
  assert.ok(first.class === 'llm' && first.prompt.split(' ').length === first.promptWords);
});

test('sampleClass follows classMix', () => {
  const u = seededUniform(4);
  const llm = Array.from({ length: 5000 }, () => sampleClass(u, 0.2)).filter((c) => c === 'llm').length;
  assert.ok(Math.abs(llm / 5000 - 0.2) < 0.02);
});

test('capPrompt cuts at a word boundary and leaves short prompts alone', async () => {
  const { capPrompt } = await import('./sample.ts');
  assert.equal(capPrompt('alpha beta gamma', 0), 'alpha beta gamma');
  assert.equal(capPrompt('alpha beta gamma', 100), 'alpha beta gamma');
  assert.equal(capPrompt('alpha beta gamma', 12), 'alpha beta');
  assert.equal(capPrompt('alphabetagamma', 5), 'alpha');
});

test('promptText: exact word counts from the vocabulary, deterministic, windows at varied places', () => {
  const vocabulary = new Set(promptText(seededUniform(1), POOL_WORDS).split(' '));
  assert.ok(vocabulary.size > 40, `pool uses the vocabulary (${vocabulary.size} distinct words)`);
  for (const words of [0, 1, 16, 1024, POOL_WORDS, POOL_WORDS + 5, 3 * POOL_WORDS]) {
    const text = promptText(seededUniform(words + 1), words);
    assert.equal(text === '' ? 0 : text.split(' ').length, words, `${words} words`);
    assert.ok(text.split(' ').every((w) => words === 0 || vocabulary.has(w)), `${words}: only vocabulary words`);
    assert.equal(promptText(seededUniform(words + 1), words), text, `${words}: same seed, same text`);
  }
  const u = seededUniform(5);
  const starts = new Set(Array.from({ length: 200 }, () => promptText(u, 256).split(' ', 8).join(' ')));
  assert.ok(starts.size > 190, `long prompts rarely share a start (${starts.size} distinct of 200)`);
});
