import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseExposition } from './exposition.ts';

test('reads names, labels, values, special values and timestamps', () => {
  const { samples, badLines } = parseExposition(
    [
      '# HELP a_total things',
      '# TYPE a_total counter',
      'a_total 3',
      'b{x="1",y="two"} 4.5e2 1700000000000',
      'c{le="+Inf"} +Inf',
      'd NaN',
      'e{} -1',
      '',
    ].join('\n'),
  );
  assert.equal(badLines, 0);
  assert.deepEqual(samples.slice(0, 2), [
    { name: 'a_total', labels: {}, value: 3 },
    { name: 'b', labels: { x: '1', y: 'two' }, value: 450 },
  ]);
  assert.equal(samples[2]!.value, Number.POSITIVE_INFINITY);
  assert.equal(samples[2]!.labels['le'], '+Inf');
  assert.ok(Number.isNaN(samples[3]!.value));
  assert.deepEqual(samples[4], { name: 'e', labels: {}, value: -1 });
});

test('label values keep escaped quotes, commas, braces and backslashes', () => {
  const { samples } = parseExposition('m{path="a,b}",q="say \\"hi\\"",s="x\\\\y",n="l1\\nl2",} 1\n');
  assert.deepEqual(samples[0]!.labels, { path: 'a,b}', q: 'say "hi"', s: 'x\\y', n: 'l1\nl2' });
});

test('colons in names (vLLM, SGLang, llama.cpp) are names', () => {
  const { samples } = parseExposition('vllm:num_requests_running{model_name="m"} 2\nllamacpp:requests_processing 1\n');
  assert.deepEqual(
    samples.map((s) => s.name),
    ['vllm:num_requests_running', 'llamacpp:requests_processing'],
  );
});

test('malformed lines are counted, the rest still read', () => {
  const { samples, badLines } = parseExposition('ok 1\n{x="1"} 2\nm{x=1} 3\nn abc\no{x="1" 4\n9bad 1\nfine 2\n');
  assert.deepEqual(
    samples.map((s) => s.name),
    ['ok', 'fine'],
  );
  assert.equal(badLines, 5);
});
