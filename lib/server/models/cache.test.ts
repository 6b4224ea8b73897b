// The model cache checks what it reuses against the manifest written at build time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ensureModel, MANIFEST_FILE } from './cache.ts';
import { modelSpec } from './catalog.ts';

const spec = modelSpec('tiny-sd', 'fp32', 'test'); // the smallest preset; three graphs

function withCache(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'genload-cache-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('build writes a manifest with each graph size and sha256; a reuse checks it and keeps the files', () => {
  withCache((dir) => {
    const rebuilt: string[] = [];
    const first = ensureModel(spec, dir, (e) => rebuilt.push(e.reason));
    const manifest = JSON.parse(readFileSync(join(dirname(first[0]!.path), MANIFEST_FILE), 'utf8'));
    for (const g of first) assert.deepEqual(manifest.graphs[g.graph], { sha256: g.sha256, bytes: g.bytes });
    const again = ensureModel(spec, dir, (e) => rebuilt.push(e.reason));
    assert.deepEqual(
      again.map((g) => g.cached),
      [true, true, true],
    );
    assert.deepEqual(
      again.map((g) => g.sha256),
      first.map((g) => g.sha256),
    );
    assert.deepEqual(rebuilt, []);
  });
});

test('one corrupted byte: that graph is rebuilt to the original bytes, with the reason; the others are reused', () => {
  withCache((dir) => {
    const first = ensureModel(spec, dir, () => {});
    const denoiser = first.find((g) => g.graph === 'denoiser')!;
    const original = readFileSync(denoiser.path);
    const corrupt = Buffer.from(original);
    corrupt[corrupt.length >> 1]! ^= 0xff;
    writeFileSync(denoiser.path, corrupt);

    const rebuilt: { path: string; reason: string }[] = [];
    const again = ensureModel(spec, dir, (e) => rebuilt.push(e));
    assert.deepEqual(
      rebuilt.map((e) => e.path),
      [denoiser.path],
    );
    assert.match(rebuilt[0]!.reason, /^sha256 mismatch: manifest\.json says [0-9a-f]{64}, the file has [0-9a-f]{64}$/);
    const d = again.find((g) => g.graph === 'denoiser')!;
    assert.equal(d.cached, false);
    assert.equal(d.rebuiltReason, rebuilt[0]!.reason);
    assert.deepEqual(readFileSync(denoiser.path), original);
    assert.deepEqual(
      again.filter((g) => g.graph !== 'denoiser').map((g) => g.cached),
      [true, true],
    );
    // and the manifest still vouches for it
    assert.deepEqual(
      ensureModel(spec, dir, () => assert.fail('rebuilt twice')).map((g) => g.cached),
      [true, true, true],
    );
  });
});

test('a truncated graph or a missing manifest: rebuilt, with the reason', () => {
  withCache((dir) => {
    const first = ensureModel(spec, dir, () => {});
    const encoder = first.find((g) => g.graph === 'text_encoder')!;
    writeFileSync(encoder.path, readFileSync(encoder.path).subarray(0, 100));
    const reasons: string[] = [];
    ensureModel(spec, dir, (e) => reasons.push(e.reason));
    assert.deepEqual(reasons, [`size mismatch: manifest.json says ${encoder.bytes} bytes, the file has 100`]);

    unlinkSync(join(dirname(encoder.path), MANIFEST_FILE));
    reasons.length = 0;
    const again = ensureModel(spec, dir, (e) => reasons.push(e.reason));
    assert.deepEqual(reasons, Array(3).fill('manifest.json missing or unreadable'));
    assert.deepEqual(
      again.map((g) => g.sha256),
      first.map((g) => g.sha256),
    );
  });
});
