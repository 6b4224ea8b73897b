// The workload contract's test vectors (test/fixtures/workload-vectors), read by
// the CLI's reader and written by its writer; the Go decoder reads the same
// files in build/xk6-genload/genload/workload_vectors_test.go.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../paths.ts';
import type { WorkloadHeader, WorkloadLine } from '../../shared/workload/contract.ts';
import { WorkloadInputError } from './errors.ts';
import { readWorkloadFile, writeWorkloadFile } from './file.ts';
import type { WorkloadItem } from './items.ts';

const VECTORS = join(repoRoot, 'test', 'fixtures', 'workload-vectors');

type Vector =
  | { file: string; valid: true; header: WorkloadHeader; classes: string[]; atMs: (number | null)[] }
  | { file: string; valid: false; line: number | null; mentions: string[] };

const { vectors } = JSON.parse(readFileSync(join(VECTORS, 'expected.json'), 'utf8')) as { vectors: Vector[] };

test('the vectors hold valid and invalid files', () => {
  assert.ok(vectors.filter((v) => v.valid).length >= 2);
  assert.ok(vectors.filter((v) => !v.valid).length >= 8);
});

for (const v of vectors) {
  test(`workload vector ${v.file}: the CLI's reader ${v.valid ? 'accepts it as expected' : 'refuses it, naming the problem'}`, () => {
    const path = join(VECTORS, v.file);
    if (v.valid) {
      const read = readWorkloadFile(path);
      assert.deepEqual(read.header, v.header);
      assert.equal(read.count, v.classes.length);
      const lines = readFileSync(path, 'utf8').trimEnd().split('\n').slice(1);
      const parsed = lines.map((l) => JSON.parse(l) as WorkloadLine);
      assert.deepEqual(
        parsed.map((l) => l.class),
        v.classes,
      );
      assert.deepEqual(
        parsed.map((l) => l.atMs ?? null),
        v.atMs,
      );
      return;
    }
    assert.throws(
      () => readWorkloadFile(path),
      (err: unknown) => {
        assert.ok(err instanceof WorkloadInputError);
        const named = err.problems.filter(
          (p) => (v.line === null || p.includes(`${v.file}:${v.line}`)) && v.mentions.every((m) => p.includes(m)),
        );
        assert.ok(
          named.length > 0,
          `no problem on line ${v.line} names ${v.mentions.join(', ')}: ${err.problems.join(' | ')}`,
        );
        return true;
      },
    );
  });
}

test("the CLI's writer writes valid-mixed.jsonl byte for byte", () => {
  const items: WorkloadItem[] = [
    { class: 'llm', messages: [{ role: 'user', content: 'Hello there' }], inputTokens: 12, outputTokens: 8 },
    {
      class: 'llm',
      messages: [{ role: 'user', content: 'Again' }],
      inputTokens: 40,
      outputTokens: 16,
      conversation: 0,
      turn: 2,
      prefix: 1,
    },
    { class: 'image', prompt: 'a red fox', sizePx: 64, steps: 8 },
  ];
  const bodies = [
    '{"model":"m","messages":[{"role":"user","content":"Hello there"}],"max_tokens":8,"stream":true}',
    '{"model":"m","max_tokens":16}',
    '{"prompt":"a red fox","size":"64x64","steps":8}',
  ];
  const seeds = [1804289383, 846930886, 1681692777];
  const streams = [true, false];
  const expected = vectors.find((v) => v.file === 'valid-mixed.jsonl');
  assert.ok(expected?.valid === true);
  const { genload: _format, version: _version, ...header } = expected.header;
  const out = join(mkdtempSync(join(tmpdir(), 'genload-vectors-')), 'workload.jsonl');
  writeWorkloadFile(out, header, items, {
    bodyOf: (_item, i) => bodies[i] as string,
    fieldsOf: (item, i) => ({ ...(item.class === 'llm' ? { stream: streams[i] } : {}), seed: seeds[i] }),
  });
  assert.equal(readFileSync(out, 'utf8'), readFileSync(join(VECTORS, 'valid-mixed.jsonl'), 'utf8'));
});
