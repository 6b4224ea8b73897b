import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promptCapFrom } from './context-fit.ts';

const models = [
  { id: 'tiny-sd-fp32', kind: 'diffusion' },
  { id: 'tiny-llm-fp32', kind: 'llm', context_tokens: 1024 },
  { id: 'big-llm', kind: 'llm', context_tokens: 8192 },
];

test('prompt cap leaves room for max_tokens', () => {
  assert.equal(promptCapFrom(models, undefined, 64), Math.floor((1024 - 64) * 0.9) - 32);
  assert.equal(promptCapFrom(models, 'big-llm', 100), Math.floor((8192 - 100) * 0.9) - 32);
  assert.equal(promptCapFrom(models, 'tiny-sd-fp32', 64), undefined);
  assert.equal(promptCapFrom([], undefined, 64), undefined);
});
