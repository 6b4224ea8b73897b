import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../cli/paths.ts';
import { sloJsonSchemaText } from './json-schema.ts';
import { parseSlo } from './parse.ts';

const dir = join(repoRoot, 'thresholds');
const schemaPath = join(dir, 'slo.schema.json');

test('thresholds/slo.schema.json is current (GENLOAD_UPDATE_SCHEMA=1 rewrites it)', () => {
  const want = sloJsonSchemaText();
  if (process.env['GENLOAD_UPDATE_SCHEMA'] === '1') writeFileSync(schemaPath, want);
  assert.equal(
    readFileSync(schemaPath, 'utf8'),
    want,
    'run GENLOAD_UPDATE_SCHEMA=1 node --import tsx --test lib/shared/slo/json-schema.test.ts',
  );
});

test('every shipped profile parses', () => {
  const profiles = readdirSync(dir).filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'));
  assert.ok(profiles.length >= 3, profiles.join());
  for (const f of profiles) {
    const slo = parseSlo(JSON.parse(readFileSync(join(dir, f), 'utf8')), f);
    assert.equal(`${slo.name}.json`, f, 'profile name matches its file name');
  }
});
