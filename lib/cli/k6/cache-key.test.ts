import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cacheKey, cacheRoot, hashExtensionDir, hashSources, isExtensionSource } from './cache-key.ts';

const pins = {
  k6: 'v1.8.1',
  xk6: 'v1.4.11',
  extension: {
    module: 'github.com/genload/xk6-genload',
    dir: 'build/xk6-genload',
    imports: ['k6/x/sse', 'k6/x/genload'],
  },
};

test('cacheRoot prefers GENLOAD_CACHE, then XDG_CACHE_HOME, then ~/.cache', () => {
  const cases: Array<[NodeJS.ProcessEnv, string]> = [
    [{ GENLOAD_CACHE: '/c', XDG_CACHE_HOME: '/x' }, '/c'],
    [{ XDG_CACHE_HOME: '/x' }, '/x/genload'],
    [{}, '/home/u/.cache/genload'],
    [{ GENLOAD_CACHE: '' }, '/home/u/.cache/genload'],
  ];
  for (const [env, want] of cases) assert.equal(cacheRoot(env, '/home/u'), want, JSON.stringify(env));
});

test('only go.mod, go.sum and non-test .go files are sources', () => {
  const cases: Array<[string, boolean]> = [
    ['go.mod', true],
    ['go.sum', true],
    ['open.go', true],
    ['open_test.go', false],
    ['README.md', false],
    ['go.work', false],
  ];
  for (const [name, want] of cases) assert.equal(isExtensionSource(name), want, name);
});

test('the source hash ignores file order but not names, contents or boundaries', () => {
  const a = hashSources([
    { name: 'a.go', content: 'x' },
    { name: 'b.go', content: 'y' },
  ]);
  assert.equal(
    hashSources([
      { name: 'b.go', content: 'y' },
      { name: 'a.go', content: 'x' },
    ]),
    a,
  );
  assert.notEqual(
    hashSources([
      { name: 'a.go', content: 'x' },
      { name: 'b.go', content: 'z' },
    ]),
    a,
  );
  assert.notEqual(
    hashSources([
      { name: 'a.go', content: 'x' },
      { name: 'c.go', content: 'y' },
    ]),
    a,
  );
  // moving a byte from one file to the next must change the hash
  assert.notEqual(
    hashSources([
      { name: 'a.go', content: 'xy' },
      { name: 'b.go', content: '' },
    ]),
    a,
  );
  assert.match(a, /^[0-9a-f]{64}$/);
});

test('cacheKey names every pin, a short source hash and the platform', () => {
  assert.equal(cacheKey(pins, 'abcdef0123456789', 'linux-x64'), 'k6-v1.8.1_xk6-v1.4.11_sse-abcdef012345_linux-x64');
  assert.notEqual(
    cacheKey({ ...pins, k6: 'v1.8.2' }, 'abcdef0123456789', 'linux-x64'),
    cacheKey(pins, 'abcdef0123456789', 'linux-x64'),
  );
  assert.notEqual(
    cacheKey({ ...pins, xk6: 'v1.4.12' }, 'abcdef0123456789', 'linux-x64'),
    cacheKey(pins, 'abcdef0123456789', 'linux-x64'),
  );
});

test('hashExtensionDir changes with a source edit and not with a test or doc edit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'genload-hash-'));
  try {
    writeFileSync(join(dir, 'go.mod'), 'module m\n');
    writeFileSync(join(dir, 'a.go'), 'package a\n');
    writeFileSync(join(dir, 'a_test.go'), 'package a\n');
    const before = hashExtensionDir(dir);
    writeFileSync(join(dir, 'a_test.go'), 'package a // edited\n');
    writeFileSync(join(dir, 'README.md'), 'docs\n');
    assert.equal(hashExtensionDir(dir), before);
    writeFileSync(join(dir, 'a.go'), 'package a // edited\n');
    assert.notEqual(hashExtensionDir(dir), before);
    rmSync(join(dir, 'go.mod'));
    assert.throws(() => hashExtensionDir(dir), /must contain go.mod/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('hashExtensionDir covers the sources of sub-packages, but not their tests or testdata', () => {
  const dir = mkdtempSync(join(tmpdir(), 'genload-hash-'));
  try {
    writeFileSync(join(dir, 'go.mod'), 'module m\n');
    writeFileSync(join(dir, 'm.go'), 'package m\n');
    mkdirSync(join(dir, 'sse'));
    mkdirSync(join(dir, 'internal', 'eventstream', 'testdata'), { recursive: true });
    writeFileSync(join(dir, 'sse', 'open.go'), 'package sse\n');
    writeFileSync(join(dir, 'internal', 'eventstream', 'parser.go'), 'package eventstream\n');
    const before = hashExtensionDir(dir);
    writeFileSync(join(dir, 'sse', 'open_test.go'), 'package sse\n');
    writeFileSync(join(dir, 'internal', 'eventstream', 'testdata', 'x.go'), 'package x\n');
    assert.equal(hashExtensionDir(dir), before);
    writeFileSync(join(dir, 'internal', 'eventstream', 'parser.go'), 'package eventstream // edited\n');
    const edited = hashExtensionDir(dir);
    assert.notEqual(edited, before);
    // the same file in another package is another source
    rmSync(join(dir, 'sse', 'open.go'));
    writeFileSync(join(dir, 'open.go'), 'package sse\n');
    assert.notEqual(hashExtensionDir(dir), edited);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
