import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededUniform } from '../../shared/stats/random.ts';
import { WorkloadInputError } from './errors.ts';
import { formatLengthDist, parseLengthDist, parseTokenPairs, sampleLength, samplePair } from './lengths.ts';

test('parseLengthDist: the three forms', () => {
  const cases: Array<[string, object]> = [
    ['128', { kind: 'fixed', tokens: 128 }],
    [' 64 ', { kind: 'fixed', tokens: 64 }],
    ['128..512', { kind: 'uniform', min: 128, max: 512 }],
    ['7..7', { kind: 'uniform', min: 7, max: 7 }],
    ['256~32', { kind: 'normal', mean: 256, sd: 32 }],
  ];
  for (const [text, want] of cases) {
    assert.deepEqual(parseLengthDist('INPUT_TOKENS', text), want, text);
    assert.equal(formatLengthDist(parseLengthDist('X', text)), text.trim());
  }
});

test('parseLengthDist: bad values name the field, the rule and the value', () => {
  const rule = (field: string, v: string) => `${field}: must be N, A..B or N~S with whole numbers >= 1, but is '${v}'`;
  const cases: Array<[string, string]> = [
    ['abc', rule('INPUT_TOKENS', 'abc')],
    ['0', rule('INPUT_TOKENS', '0')],
    ['-5', rule('INPUT_TOKENS', '-5')],
    ['1.5', rule('INPUT_TOKENS', '1.5')],
    ['10..', rule('INPUT_TOKENS', '10..')],
    ['10~0', rule('INPUT_TOKENS', '10~0')],
    ['', rule('INPUT_TOKENS', '')],
    ['512..128', "INPUT_TOKENS: the range must have A <= B, but is '512..128'"],
  ];
  for (const [text, message] of cases) {
    assert.throws(
      () => parseLengthDist('INPUT_TOKENS', text),
      (err: unknown) => err instanceof WorkloadInputError && err.problems[0] === message,
      text,
    );
  }
  assert.throws(() => parseLengthDist('OUTPUT_TOKENS', 'x'), /OUTPUT_TOKENS: must be/);
});

test('parseTokenPairs: every bad pair at once', () => {
  assert.deepEqual(parseTokenPairs('128:64, 512:128'), [
    { inputTokens: 128, outputTokens: 64 },
    { inputTokens: 512, outputTokens: 128 },
  ]);
  assert.throws(
    () => parseTokenPairs('128:64,x:1,5:0,'),
    (err: unknown) =>
      err instanceof WorkloadInputError &&
      err.problems.length === 3 &&
      err.problems[0] === "TOKEN_PAIRS: pair 2 must be in:out with whole numbers >= 1, but is 'x:1'" &&
      err.problems[1]!.includes('pair 3') &&
      err.problems[2]!.includes("pair 4 must be in:out with whole numbers >= 1, but is ''"),
  );
});

test('sampleLength: fixed, inclusive uniform, clipped normal', () => {
  const u = seededUniform(1);
  assert.equal(sampleLength({ kind: 'fixed', tokens: 9 }, u), 9);
  const uni = Array.from({ length: 5000 }, () => sampleLength({ kind: 'uniform', min: 3, max: 6 }, u));
  assert.deepEqual([...new Set(uni)].sort(), [3, 4, 5, 6]);
  const norm = Array.from({ length: 5000 }, () => sampleLength({ kind: 'normal', mean: 100, sd: 10 }, u));
  const mean = norm.reduce((a, b) => a + b, 0) / norm.length;
  assert.ok(Math.abs(mean - 100) < 1, `mean ${mean}`);
  assert.ok(norm.every(Number.isInteger));
  const clipped = Array.from({ length: 2000 }, () => sampleLength({ kind: 'normal', mean: 2, sd: 50 }, u));
  assert.ok(Math.min(...clipped) === 1 && clipped.every(Number.isInteger));
  const pairs = parseTokenPairs('1:2,3:4');
  const picked = new Set(Array.from({ length: 200 }, () => samplePair(pairs, u).inputTokens));
  assert.deepEqual([...picked].sort(), [1, 3]);
});

test('sampleLength: exponential clipped to 1..max, and weighted mixes (the old knobs)', () => {
  const u = seededUniform(2);
  const ex = Array.from({ length: 5000 }, () => sampleLength({ kind: 'exponential', mean: 32, max: 64 }, u));
  assert.ok(Math.min(...ex) >= 1 && Math.max(...ex) === 64 && ex.every(Number.isInteger));
  const mix = {
    kind: 'mix' as const,
    parts: [
      { weight: 0.7, dist: { kind: 'fixed' as const, tokens: 24 } },
      { weight: 0.3, dist: { kind: 'fixed' as const, tokens: 320 } },
    ],
  };
  const xs = Array.from({ length: 5000 }, () => sampleLength(mix, u));
  const short = xs.filter((x) => x === 24).length / xs.length;
  assert.ok(Math.abs(short - 0.7) < 0.03 && xs.every((x) => x === 24 || x === 320), `short ${short}`);
  assert.equal(formatLengthDist(mix), 'mix(0.7: 24, 0.3: 320)');
});
