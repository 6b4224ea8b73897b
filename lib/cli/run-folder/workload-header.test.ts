import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { repoRoot } from '../paths.ts';
import type { WorkloadHeader } from '../../shared/workload/contract.ts';
import { workloadHeaderSchema } from './workload-header.ts';

// The header's type is declared once (lib/shared/workload/contract.ts); the schema agrees with it both ways (tsc checks).
type Parsed = z.infer<typeof workloadHeaderSchema>;
const toInterface = (p: Parsed): WorkloadHeader => p;
const toSchema = (h: WorkloadHeader): Parsed => h;

test("workload header: the contract's valid vectors parse unchanged; a phase past the count is named with every other problem", () => {
  const dir = join(repoRoot, 'test', 'fixtures', 'workload-vectors');
  for (const file of ['valid-mixed.jsonl', 'valid-trace.jsonl']) {
    const header = JSON.parse(readFileSync(join(dir, file), 'utf8').split('\n')[0]!) as WorkloadHeader;
    assert.deepEqual(toInterface(workloadHeaderSchema.parse(toSchema(header))), header);
  }
  const bad = workloadHeaderSchema.safeParse({
    genload: 'workload',
    version: 1,
    api: 'openai-chat',
    source: 'synthetic',
    tokenizer: 'o200k_base',
    count: 2,
    phases: [{ name: 'measure', from: 1, count: 2 }],
    trace: 'no',
  });
  assert.equal(bad.success, false);
  assert.deepEqual(
    bad.error?.issues.map((i) => i.path.join('.')),
    ['trace', 'phases.0'],
  );
});
