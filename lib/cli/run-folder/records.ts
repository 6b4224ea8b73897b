// Records of a run folder with one schema for writer and reader: the writer
// checks what it writes against the schema, the reader gets the schema's type
// back (or undefined: a missing, unreadable or foreign file is "not recorded",
// since a crashed run leaves files out).

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { RUN_FILE } from './names.ts';
import { writeJsonAtomic } from './write.ts';

export const RUN_RESULT_SCHEMA_VERSION = 1;

/** run.json: how the run ended. Every field optional on reading: files from older versions lack some. */
export const runResultSchema = z.looseObject({
  schemaVersion: z.number().optional(),
  runId: z.string().optional(),
  scenario: z.string().optional(),
  startedAt: z.string().optional(),
  endedAt: z.string().optional(),
  k6ExitCode: z.number().optional(),
  exitCode: z.number().optional(),
  verdict: z.string().optional(),
  message: z.string().optional(),
  interrupted: z.boolean().optional(),
});
export type RunResult = z.infer<typeof runResultSchema>;

/** run.json as this version writes it: every field present. */
const writtenRunResultSchema = runResultSchema.required().extend({
  schemaVersion: z.literal(RUN_RESULT_SCHEMA_VERSION),
});
export type WrittenRunResult = z.infer<typeof writtenRunResultSchema>;

/** Reads a JSON record through its schema; undefined when missing, not JSON, or not of the schema's shape. */
export function readRecord<S extends z.ZodType>(path: string, schema: S): z.infer<S> | undefined {
  if (!existsSync(path)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

export function readRunResult(runDir: string): RunResult | undefined {
  return readRecord(join(runDir, RUN_FILE.run), runResultSchema);
}

/** Writes run.json after checking it against the schema its readers use (a mismatch is a bug: it throws). */
export function writeRunResult(runDir: string, result: WrittenRunResult): void {
  writeJsonAtomic(join(runDir, RUN_FILE.run), writtenRunResultSchema.parse(result));
}
