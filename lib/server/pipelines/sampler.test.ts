import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from './random.ts';
import { argmax, nucleus, sampleToken, sortedProbabilities } from './sampler.ts';
import { BOS, VOCAB_SIZE } from './tokenizer.ts';

function logitsWith(values: Record<number, number>): Float32Array {
  const l = new Float32Array(VOCAB_SIZE).fill(-10);
  for (const [k, v] of Object.entries(values)) l[Number(k)] = v;
  return l;
}

test('temperature 0 is greedy and never picks BOS', () => {
  assert.equal(sampleToken(logitsWith({ 65: 3, 66: 5 }), { temperature: 0, topP: 1 }, new Random(1)), 66);
  assert.equal(argmax(logitsWith({ [BOS]: 100, 70: 1 })), 70);
});

test('same seed gives the same sequence; another seed differs', () => {
  const logits = logitsWith({ 65: 1, 66: 1, 67: 1, 68: 1 });
  const draw = (seed: number) => {
    const rng = new Random(seed);
    return Array.from({ length: 30 }, () => sampleToken(logits, { temperature: 1, topP: 1 }, rng));
  };
  assert.deepEqual(draw(7), draw(7));
  assert.notDeepEqual(draw(7), draw(8));
});

test('top_p keeps the smallest set reaching the mass', () => {
  const sorted = sortedProbabilities(logitsWith({ 65: Math.log(6), 66: Math.log(3), 67: Math.log(1) }), 1);
  // masses ~0.6, 0.3, 0.1 (+ tiny others)
  assert.deepEqual(
    nucleus(sorted, 0.5).map((s) => s.token),
    [65],
  );
  assert.deepEqual(
    nucleus(sorted, 0.8).map((s) => s.token),
    [65, 66],
  );
  const rng = new Random(1);
  const seen = new Set(
    Array.from({ length: 200 }, () =>
      sampleToken(
        logitsWith({ 65: Math.log(6), 66: Math.log(3), 67: Math.log(1) }),
        { temperature: 1, topP: 0.8 },
        rng,
      ),
    ),
  );
  assert.deepEqual([...seen].sort(), [65, 66]);
});

test('sampling frequencies follow the softmax', () => {
  const rng = new Random(42);
  const logits = logitsWith({ 65: Math.log(3), 66: Math.log(1) });
  let a = 0;
  const n = 4000;
  for (let i = 0; i < n; i++) if (sampleToken(logits, { temperature: 1, topP: 1 }, rng) === 65) a++;
  assert.ok(Math.abs(a / n - 0.75) < 0.03, `share of token 65: ${a / n}`);
});
