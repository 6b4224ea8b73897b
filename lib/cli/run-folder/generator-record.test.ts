import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GENERATOR_SCHEMA_VERSION,
  readGeneratorSeries,
  writeGeneratorSeries,
  type GeneratorSeries,
} from './generator-record.ts';
import { RUN_FILE } from './names.ts';

const series: GeneratorSeries = {
  schemaVersion: GENERATOR_SCHEMA_VERSION,
  k6Path: '/cache/k6',
  intervalMs: 1000,
  points: [{ tMs: 2000, intervalMs: 1000, cpuCores: 0.4, waitCores: 0.01, allowedCores: 1, processes: 1 }],
  allowance: { cores: 1, cpusAllowed: '0', limitedBy: 'affinity 0' },
  notes: [],
};

test('generator.json: written through the schema, read back typed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'genload-generator-'));
  assert.equal(readGeneratorSeries(dir), undefined);
  writeGeneratorSeries(dir, series);
  assert.deepEqual(readGeneratorSeries(dir), series);
});

test('generator.json: a point without its allowed cores is named', () => {
  const dir = mkdtempSync(join(tmpdir(), 'genload-generator-'));
  const { allowedCores: _, ...point } = series.points[0]!;
  writeFileSync(join(dir, RUN_FILE.generator), JSON.stringify({ ...series, points: [point] }));
  assert.throws(
    () => readGeneratorSeries(dir),
    /generator\.json: points\[0\]\.allowedCores must be a number, but is missing/,
  );
});
