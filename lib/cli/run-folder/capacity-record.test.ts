import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCapacity } from './capacity.ts';
import { readCapacity, writeCapacity } from './capacity-record.ts';
import { RUN_FILE } from './names.ts';

const latency = { 'llm.e2eMs': { p50Ms: 80, p95Ms: 120, p99Ms: 150, count: 40 } };
const record = {
  schemaVersion: 1,
  tool: 'genload',
  kind: 'capacity',
  runId: '20261207T100000Z-capacity',
  scenario: 'steady',
  startedAt: '2026-12-07T10:00:00.000Z',
  endedAt: '2026-12-07T10:05:00.000Z',
  status: 'found',
  message: 'found',
  exitCode: 0,
  result: { status: 'found', sustainableRps: 4, interval: { lowRps: 4, highRps: 5 } },
  steps: [
    {
      step: 1,
      dir: 'step-01-4rps',
      startedAt: '2026-12-07T10:00:00.000Z',
      offeredRps: 4,
      achievedRps: 4,
      latency,
      verdict: 'pass',
    },
    {
      step: 2,
      dir: 'step-02-5rps',
      startedAt: '2026-12-07T10:01:00.000Z',
      offeredRps: 5,
      achievedRps: 4.2,
      latency,
      verdict: 'fail',
    },
  ],
  curve: [
    { offeredRps: 4, achievedRps: 4, verdict: 'pass', latency },
    { offeredRps: 5, achievedRps: 4.2, verdict: 'fail', latency },
  ],
};

test('capacity.json: written through the schema, read back, the curve parsed from it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'genload-capacity-'));
  assert.equal(readCapacity(dir), undefined);
  writeCapacity(dir, record);
  assert.deepEqual(readCapacity(dir), record);
  const c = parseCapacity(readCapacity(dir));
  assert.equal(c?.sustainableRps, 4);
  assert.deepEqual(
    c?.points.map((p) => [p.offeredRps, p.p95Ms, p.verdict]),
    [
      [4, 120, 'pass'],
      [5, 120, 'fail'],
    ],
  );
});

test('capacity.json: fields the schema does not know pass through at every level (the record still grows)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'genload-capacity-'));
  const grown = {
    ...record,
    loadModel: 'closed',
    wallSeconds: 300,
    stepCount: 2,
    result: { ...record.result, sustainableConcurrency: 4 },
    steps: record.steps.map((s) => ({ ...s, concurrency: s.offeredRps, wallSeconds: 60 })),
  };
  writeCapacity(dir, grown);
  assert.deepEqual(readCapacity(dir), grown);
});

test('capacity.json: a broken field the readers rely on is named', () => {
  const dir = mkdtempSync(join(tmpdir(), 'genload-capacity-'));
  writeFileSync(
    join(dir, RUN_FILE.capacity),
    JSON.stringify({ ...record, steps: [{ ...record.steps[0], verdict: 'ok' }] }),
  );
  assert.throws(
    () => readCapacity(dir),
    /^RecordError: capacity\.json: steps\[0\]\.verdict must be 'pass', 'fail' or 'invalid', but is 'ok'$/,
  );
  assert.throws(
    () => writeCapacity(dir, { ...record, kind: 'run' }),
    /capacity\.json: kind must be 'capacity', but is 'run'/,
  );
});
