// config.json: the run's configuration as k6 read it (lib/shared/run-config.ts's
// schema), the target URL redacted, with each knob's source (a load run), or the
// replica count (a k6-operator package). Written by the load run, each capacity
// step and the operator package; read by the reports (scenario, target URL).
// The writer is checked against the full schema; the reader checks only what it
// uses, so a folder from an older version still reads (config-record.test.ts
// checks what is written is what is read).

import { join } from 'node:path';
import { z } from 'zod';
import { runConfigSchema } from '../../shared/run-config.ts';
import { RUN_FILE } from './names.ts';
import { readRecord, writeRecord } from './records.ts';

/** config.json as this version writes it. */
export const writtenConfigSchema = runConfigSchema.extend({
  /** where each load knob's value came from: default, scenario, env or flag */
  sources: z.record(z.string(), z.enum(['default', 'scenario', 'env', 'flag'])).optional(),
  /** k6-operator packages: the pods the test is split over */
  parallelism: z.number().int().min(1).optional(),
});
export type WrittenConfig = z.infer<typeof writtenConfigSchema>;

/** config.json as the reports read it: any version's file, the fields they use checked. */
export const configRecordSchema = z.looseObject({
  schemaVersion: z.number().optional(),
  scenario: z.string().optional(),
  runId: z.string().optional(),
  target: z.looseObject({ url: z.string().optional(), api: z.string().optional() }).optional(),
});
export type ConfigRecord = z.infer<typeof configRecordSchema>;

export function readConfig(runDir: string): ConfigRecord | undefined {
  return readRecord(join(runDir, RUN_FILE.config), configRecordSchema);
}

/** Writes <dir>/config.json after checking it against the full schema. */
export function writeConfig(dir: string, config: WrittenConfig): void {
  writeRecord(join(dir, RUN_FILE.config), writtenConfigSchema, config);
}
