// resolveK6's choice of binary, with fake k6 scripts and a pre-filled cache:
// no test here builds anything (a cache miss would, so every case provides a hit or a fitting k6).
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cacheKey, hashExtensionDir } from './cache-key.ts';
import { loadPins } from './pins.ts';
import { resolveK6 } from './provision.ts';

const pins = loadPins();
const ours = JSON.stringify({
  extensions: [{ module: pins.extension.module, version: '(devel)', imports: [...pins.extension.imports] }],
  version: pins.k6,
});
const plain = JSON.stringify({ version: pins.k6 });

function fakeK6(dir: string, stdout: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'k6');
  writeFileSync(path, `#!/bin/sh\necho '${stdout}'\n`);
  chmodSync(path, 0o755);
  return path;
}

async function withTemp(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'genload-provision-'));
  try {
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a fitting K6_BIN is used as is', () =>
  withTemp(async (dir) => {
    const k6 = fakeK6(join(dir, 'bin'), ours);
    const got = await resolveK6({
      env: { K6_BIN: k6, GENLOAD_CACHE: join(dir, 'cache'), PATH: '' },
      log: () => {},
      pins,
    });
    assert.deepEqual(got, { path: k6, version: pins.k6, fromCache: true, source: 'K6_BIN' });
  }));

test('a fitting k6 on PATH is used as is', () =>
  withTemp(async (dir) => {
    const k6 = fakeK6(join(dir, 'bin'), ours);
    const got = await resolveK6({
      env: { GENLOAD_CACHE: join(dir, 'cache'), PATH: `${join(dir, 'empty')}:${join(dir, 'bin')}` },
      log: () => {},
      pins,
    });
    assert.equal(got.source, 'PATH');
    assert.equal(got.path, k6);
  }));

test('a k6 without the extension is ignored with one note, and the cached build is used', () =>
  withTemp(async (dir) => {
    const k6 = fakeK6(join(dir, 'bin'), plain);
    const cache = join(dir, 'cache');
    const cachedBin = fakeK6(join(cache, 'k6', cacheKey(pins, hashExtensionDir(pins.extensionDir))), ours);
    const notes: string[] = [];
    const got = await resolveK6({
      env: { K6_BIN: k6, GENLOAD_CACHE: cache, PATH: '' },
      log: (l) => notes.push(l),
      pins,
    });
    assert.deepEqual(got, { path: cachedBin, version: pins.k6, fromCache: true, source: 'cache' });
    assert.equal(notes.length, 1);
    assert.match(notes[0] ?? '', /^ignoring K6_BIN k6 .*: it lacks the extension github\.com\/genload\/xk6-genload/);
  }));
