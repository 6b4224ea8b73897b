import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_WORKLOAD, parseWorkload, WorkloadError } from './index.ts';

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
