import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRunFolder, timestampId, writeJsonAtomic } from './write.ts';

const now = new Date('2026-11-22T05:30:35.123Z');

test('timestampId is compact UTC', () => {
  assert.equal(timestampId(now), '20261122T053035Z');
});

test('run folders are never reused', () => {
  const root = mkdtempSync(join(tmpdir(), 'genload-runs-'));
  const a = createRunFolder(root, 'smoke', undefined, now);
  const b = createRunFolder(root, 'smoke', undefined, now);
  const c = createRunFolder(root, 'smoke', 'nightly', now);
  assert.equal(a.runId, '20261122T053035Z-smoke');
  assert.equal(b.runId, '20261122T053035Z-smoke-2');
  assert.equal(c.runId, '20261122T053035Z-smoke-nightly');
  assert.deepEqual(readdirSync(root).sort(), [a.runId, b.runId, c.runId].sort());
});

test('names cannot escape the results folder', () => {
  const root = mkdtempSync(join(tmpdir(), 'genload-runs-'));
  for (const bad of ['../x', 'a/b', '..', 'UPPER', '']) {
    assert.throws(() => createRunFolder(root, 'smoke', bad, now), /run folder name: must be/);
  }
  assert.throws(() => createRunFolder(root, '../../etc', undefined, now), /run folder scenario: must be/);
});

test('atomic json write leaves no temp file', () => {
  const root = mkdtempSync(join(tmpdir(), 'genload-runs-'));
  writeJsonAtomic(join(root, 'a.json'), { x: 1 });
  assert.deepEqual(readdirSync(root), ['a.json']);
  assert.deepEqual(JSON.parse(readFileSync(join(root, 'a.json'), 'utf8')), { x: 1 });
});
