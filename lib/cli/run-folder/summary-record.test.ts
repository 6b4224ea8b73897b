import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { z } from 'zod';
import type { StageSummary, Summary } from '../../shared/summary.ts';
import { rampSummary } from '../../../test/fixtures/ramp-summary.ts';
import { RUN_FILE } from './names.ts';
import { RecordError } from './records.ts';
import { readRunSummary, readSummary, summarySchema, writeSummary } from './summary-record.ts';

// Schema and interface agree (checked by tsc, `make typecheck`): what the schema
// parses is a Summary, and the schema names every field of the interface and no other.
type Parsed = z.infer<typeof summarySchema>;
const parsedIsSummary = (p: Parsed): Summary => p;
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : false;
const topKeys: SameKeys<typeof summarySchema.shape, Summary> = true;
const stageKeys: SameKeys<typeof summarySchema.shape.stages.element.shape, StageSummary> = true;
const sloKeys: SameKeys<typeof summarySchema.shape.slo.shape, Summary['slo']> = true;
const validityKeys: SameKeys<typeof summarySchema.shape.validity.shape, Summary['validity']> = true;

function fullSummary(): Summary {
  const ramp = rampSummary();
  return {
    schemaVersion: 1,
    tool: 'genload',
    scenario: 'ramp',
    runId: '20261207T100000Z-ramp',
    target: { url: 'http://127.0.0.1:8000', api: 'openai-chat', model: null },
    load: { rateRps: 1 },
    workload: {},
    durationMs: 60_000,
    validity: { valid: true, reasons: [], notes: [], targetLimits: [], droppedIterations: 0, phases: [] },
    slo: { name: 'default', passed: false, aborted: true, verdicts: [] },
    stages: ramp.stages ?? [],
  };
}

test('summary.json: schema and interface agree (type-level), and a real summary parses unchanged', () => {
  assert.ok(topKeys && stageKeys && sloKeys && validityKeys);
  const s = fullSummary();
  assert.ok(s.stages.length > 0);
  assert.deepEqual(parsedIsSummary(summarySchema.parse(s)), s);
});

test('summary.json: written through the schema, read back typed; fields it does not know pass through', () => {
  const dir = mkdtempSync(join(tmpdir(), 'genload-summary-'));
  const path = join(dir, RUN_FILE.summary);
  const s = { ...fullSummary(), addedLater: { x: 1 } };
  writeSummary(path, s);
  assert.deepEqual(readSummary(path), s);
  assert.deepEqual(readRunSummary(dir), s);
  assert.throws(
    () => writeSummary(path, { ...s, durationMs: '60s' as unknown as number }),
    /durationMs must be a number/,
  );
});

test('summary.json: a field the CLI relies on, broken, is named with the file, its path and the rule', () => {
  const dir = mkdtempSync(join(tmpdir(), 'genload-summary-'));
  const path = join(dir, RUN_FILE.summary);
  const s = fullSummary();
  const broken = { ...s, stages: s.stages.map((st, k) => (k === 2 ? { ...st, completed: 'yes' } : st)) };
  writeFileSync(path, JSON.stringify(broken));
  assert.throws(
    () => readSummary(path),
    (err: unknown) =>
      err instanceof RecordError &&
      err.message === "summary.json: stages[2].completed must be true or false, but is 'yes'",
  );
  assert.throws(() => readRunSummary(dir), /stages\[2\]\.completed must be true or false/);
  // the nested per-class blocks are checked as objects only
  writeFileSync(path, JSON.stringify({ ...s, stages: [{ ...s.stages[0], classes: [] }] }));
  assert.throws(() => readSummary(path), /summary\.json: stages\[0\]\.classes must be an object, but is a list of 0/);
});

test('summary.json as reports read it: an older or partial file reads (the raw k6 metrics form too)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'genload-summary-'));
  const older = {
    schemaVersion: 1,
    slo: { passed: true },
    validity: { valid: true, reasons: [] },
    metrics: { genload_e2e_ms: { type: 'trend', values: { 'p(95)': 120 } } },
  };
  writeFileSync(join(dir, RUN_FILE.summary), JSON.stringify(older));
  assert.deepEqual(readRunSummary(dir), older);
  assert.throws(() => readSummary(join(dir, RUN_FILE.summary)), /summary\.json: stages must be a list, but is missing/);
  assert.equal(readFileSync(join(dir, RUN_FILE.summary), 'utf8'), JSON.stringify(older));
});
