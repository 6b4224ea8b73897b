import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../errors.ts';
import { ExitCode } from '../../shared/exit-codes.ts';
import { RUN_FILE } from './names.ts';
import { loadRunRecord } from './run-record.ts';

test('loadRunRecord: a missing record is "not recorded"; one that breaks its schema is an input problem naming the path, field and rule', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'genload-runrecord-'));
  writeFileSync(join(dir, RUN_FILE.run), JSON.stringify({ exitCode: 0, verdict: 'passed' }));
  const ok = await loadRunRecord(dir, { samples: false });
  assert.deepEqual(
    [ok.result?.exitCode, ok.summary, ok.monitors, ok.config, ok.capacity],
    [0, undefined, undefined, undefined, undefined],
  );
  writeFileSync(join(dir, RUN_FILE.summary), JSON.stringify({ slo: { passed: 'yes' } }));
  await assert.rejects(
    () => loadRunRecord(dir, { samples: false }),
    (err: unknown) =>
      err instanceof ConfigError &&
      err.exitCode === ExitCode.ConfigInvalid &&
      err.problems.length === 1 &&
      err.problems[0] === `${dir}/summary.json: slo.passed must be true or false, but is 'yes'`,
  );
});
