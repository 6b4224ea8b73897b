// Node 20 is supported (README): package.json says which 20, and no package in
// the lock file may ask for more (npm ci would warn EBADENGINE, as vega-lite 6.5
// and cookie 2, which want Node 22, did).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lowestOf, requiredNodeRange, satisfies } from './node-engines.ts';
import { repoRoot } from './paths.ts';

test('satisfies: npm range grammar', () => {
  const rows: [string, string, boolean][] = [
    ['20.19.0', '>=20', true],
    ['20.19.0', '>=22', false],
    ['20.19.0', '>= 0.4', true],
    ['20.19.0', '>=20.9.0', true],
    ['20.8.0', '>=20.9.0', false],
    ['20.19.0', '^20.19.0 || ^22.12.0 || >=23', true],
    ['20.18.9', '^20.19.0 || ^22.12.0 || >=23', false],
    ['22.11.0', '^20.19.0 || ^22.12.0 || >=23', false],
    ['24.0.0', '^20.19.0 || ^22.12.0 || >=23', true],
    ['20.19.0', '*', true],
    ['20.19.0', '', true],
    ['20.19.0', '^18', false],
    ['18.5.0', '^18', true],
    ['20.19.0', '~20.19', true],
    ['20.20.0', '~20.19', false],
    ['20.19.0', '>18 <21', true],
    ['21.0.0', '>18 <21', false],
    ['20.19.0', '18 - 20', true],
    ['21.0.0', '18 - 20', false],
    ['20.19.0', '20.x', true],
    ['20.19.0', '<=20', true],
    ['21.0.0', '<=20', false],
    ['20.19.0', 'not a range', false],
  ];
  for (const [version, range, want] of rows) assert.equal(satisfies(version, range), want, `${version} in '${range}'`);
});

test('package.json names the lowest supported Node, and it is a Node 20', () => {
  const lowest = lowestOf(requiredNodeRange());
  assert.ok(lowest !== undefined, `engines.node must be ">=X.Y", but is '${requiredNodeRange()}'`);
  assert.match(lowest, /^20\./);
  assert.ok(
    satisfies(process.versions.node, requiredNodeRange()),
    `this Node ${process.versions.node} is outside '${requiredNodeRange()}'`,
  );
});

test('no package in package-lock.json excludes the lowest supported Node', () => {
  const lowest = lowestOf(requiredNodeRange()) ?? '20.0.0';
  const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
  };
  const excluding = Object.entries(lock.packages)
    .filter(
      ([path, p]) =>
        path !== '' &&
        !Array.isArray(p.engines) &&
        typeof p.engines?.node === 'string' &&
        !satisfies(lowest, p.engines.node),
    )
    .map(
      ([path, p]) =>
        `${path.replace(/^.*node_modules\//, '')}@${p.version} wants node ${(p.engines as { node: string }).node}`,
    );
  assert.deepEqual(excluding, [], `packages that need more than Node ${lowest}`);
});
