import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUN_FILE } from './names.ts';
import { z } from 'zod';
import {
  fieldPath,
  parseRecord,
  readRecord,
  readRunResult,
  RecordError,
  runResultSchema,
  writeRunResult,
  type WrittenRunResult,
} from './records.ts';

const written: WrittenRunResult = {
  schemaVersion: 1,
  runId: '20261207T100000Z-ramp',
  scenario: 'ramp',
  startedAt: '2026-12-07T10:00:00.000Z',
  endedAt: '2026-12-07T10:01:00.000Z',
  k6ExitCode: 0,
  exitCode: 0,
  verdict: 'passed',
  message: 'ok',
  interrupted: false,
};

test('run.json: what the writer writes, the reader reads back typed, field order kept', () => {
  const dir = mkdtempSync(join(tmpdir(), 'genload-records-'));
  writeRunResult(dir, written);
  assert.deepEqual(Object.keys(JSON.parse(readFileSync(join(dir, RUN_FILE.run), 'utf8'))), Object.keys(written));
  assert.deepEqual(readRunResult(dir), written);
});

test('run.json: the writer refuses a record its readers could not read', () => {
  const dir = mkdtempSync(join(tmpdir(), 'genload-records-'));
  assert.throws(() => writeRunResult(dir, { ...written, exitCode: 'zero' as unknown as number }), /exitCode/);
  assert.throws(() => writeRunResult(dir, { ...written, schemaVersion: 2 as 1 }), /schemaVersion/);
});

test('run.json: an older file with fields missing or extra still reads; a missing one is "not recorded"', () => {
  const dir = mkdtempSync(join(tmpdir(), 'genload-records-'));
  assert.equal(readRunResult(dir), undefined);
  writeFileSync(join(dir, RUN_FILE.run), JSON.stringify({ exitCode: 4, note: 'older' }));
  assert.deepEqual(readRunResult(dir), { exitCode: 4, note: 'older' });
  assert.equal(readRecord(join(dir, 'missing.json'), runResultSchema), undefined);
});

test('a record that is there but breaks its schema: one line per field, naming the file, the field, the rule and the value', () => {
  const dir = mkdtempSync(join(tmpdir(), 'genload-records-'));
  writeFileSync(join(dir, RUN_FILE.run), JSON.stringify({ exitCode: 'four', interrupted: 1 }));
  assert.throws(
    () => readRunResult(dir),
    (err: unknown) =>
      err instanceof RecordError &&
      err.message ===
        "run.json: exitCode must be a number, but is 'four'\nrun.json: interrupted must be true or false, but is 1",
  );
  writeFileSync(join(dir, RUN_FILE.run), '{"exitCode": 4');
  assert.throws(() => readRunResult(dir), /^RecordError: run\.json: must be JSON, but /);
});

test('nested fields are named by their path, list entries by their index', () => {
  const schema = z.object({ stages: z.array(z.object({ stage: z.string(), completed: z.boolean() })) });
  const raw = { stages: [0, 1, 2].map((k) => ({ stage: `s${k}`, completed: k === 2 ? 'yes' : true })) };
  assert.throws(
    () => parseRecord('summary.json', schema, raw),
    (err: unknown) =>
      (err as Error).message === "summary.json: stages[2].completed must be true or false, but is 'yes'",
  );
  assert.equal(fieldPath([]), '(the record)');
  assert.equal(fieldPath(['a', 0, 'b', 'c']), 'a[0].b.c');
});
