// The README's exit-code table and lib/shared/exit-codes.ts must say the same thing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths.ts';
import { ExitCode } from '../shared/exit-codes.ts';

test('README documents every exit code, and nothing else', () => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const section = readme.slice(
    readme.indexOf('## Exit codes'),
    readme.indexOf('\n## ', readme.indexOf('## Exit codes') + 5),
  );
  const rows = [...section.matchAll(/^\| (\d+) \| `(\w+)` \|/gm)].map((m) => [m[2], Number(m[1])]);
  assert.deepEqual(Object.fromEntries(rows), { ...ExitCode });
});

test('exit codes are distinct', () => {
  const values = Object.values(ExitCode);
  assert.equal(new Set(values).size, values.length);
});
