import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { z } from 'zod';
import type { Source } from '../config/table.ts';
import { RUN_CONFIG_SCHEMA_VERSION } from '../../shared/run-config.ts';
import {
  configRecordSchema,
  readConfig,
  writeConfig,
  writtenConfigSchema,
  type WrittenConfig,
} from './config-record.ts';
import { RUN_FILE } from './names.ts';

// What is written is what the reader reads, and the knob sources are the configuration table's (tsc checks).
const writtenReads = (w: WrittenConfig): z.infer<typeof configRecordSchema> => w;
type Written = NonNullable<WrittenConfig['sources']>[string];
const sourcesAgree: [Written, Source] extends [Source, Written] ? true : false = true;

const config: WrittenConfig = {
  schemaVersion: RUN_CONFIG_SCHEMA_VERSION,
  scenario: 'smoke',
  runId: '20261207T100000Z-smoke',
  runDir: '/results/20261207T100000Z-smoke',
  target: { url: 'http://127.0.0.1:8000', api: 'openai-chat', managed: true, readyPath: '/health' },
  load: {
    rateRps: 2,
    maxRateRps: 2,
    durationSeconds: 10,
    warmupSeconds: 2,
    vus: 1,
    maxVus: 10,
    arrival: 'constant',
    seed: 1,
  },
  sloPath: 'thresholds/errors-only.json',
  slo: { schemaVersion: 1, name: 'errors-only', classes: { llm: { errorRate: 0.05 } } },
  workload: {},
  workloadFile: { path: '/results/x/workload.jsonl', sha256: 'ab', count: 24, source: 'synthetic' },
  sources: { rateRps: 'flag', durationSeconds: 'default' },
};

test('config.json: written through the full schema, read back by the fields the reports use', () => {
  assert.ok(sourcesAgree);
  const dir = mkdtempSync(join(tmpdir(), 'genload-config-'));
  assert.equal(readConfig(dir), undefined);
  writeConfig(dir, config);
  assert.deepEqual(readConfig(dir), writtenReads(config));
  assert.equal(readConfig(dir)?.target?.url, 'http://127.0.0.1:8000');
  writeConfig(dir, { ...config, parallelism: 4 });
  assert.equal(writtenConfigSchema.parse(readConfig(dir)).parallelism, 4);
});

test('config.json: the writer refuses what the schema does not allow; the reader names a broken field', () => {
  const dir = mkdtempSync(join(tmpdir(), 'genload-config-'));
  assert.throws(
    () => writeConfig(dir, { ...config, parallelism: 0 }),
    /config\.json: parallelism must be >= 1, but is 0/,
  );
  assert.throws(
    () => writeConfig(dir, { ...config, sources: { rateRps: 'guess' as Source } }),
    /config\.json: sources\.rateRps must be 'default', 'scenario', 'env' or 'flag', but is 'guess'/,
  );
  writeFileSync(join(dir, RUN_FILE.config), JSON.stringify({ scenario: 'smoke', target: { url: 8000 } }));
  assert.throws(() => readConfig(dir), /^RecordError: config\.json: target\.url must be a string, but is 8000$/);
});
