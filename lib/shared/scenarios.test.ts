import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCENARIOS } from './scenarios.ts';

const dir = join(import.meta.dirname, '..', '..', 'scenarios');

test('SCENARIOS: one entry per scenarios/<name>.ts, and each file defines itself by its own name', () => {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
  assert.deepEqual(Object.keys(SCENARIOS).sort(), files);
  for (const name of files)
    assert.match(readFileSync(join(dir, `${name}.ts`), 'utf8'), new RegExp(`defineScenario\\('${name}'\\)`), name);
});
