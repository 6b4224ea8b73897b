// capacity.json, the capacity search's record (written by lib/cli/capacity,
// its full type CapacityReport in capacity/report.ts), read back through one
// schema by the capacity pages, reports, the results index and the gate. The
// schema checks the fields those readers rely on and lets every other field
// through (passthrough, at every level): the record is still growing (wall
// time, step count, closed-model fields named for concurrency), and a field
// added by the writer must not make older readers refuse the file.

import { join } from 'node:path';
import { z } from 'zod';
import { RUN_FILE } from './names.ts';
import { readRecord, writeRecord } from './records.ts';

const num = z.number();
const verdictSchema = z.enum(['pass', 'fail', 'invalid']);
const percentilesSchema = z.looseObject({ p50Ms: num, p95Ms: num, p99Ms: num });

const stepSchema = z.looseObject({
  step: num,
  /** sub-folder of the run folder holding this step's k6 files */
  dir: z.string(),
  startedAt: z.string(),
  offeredRps: num.optional(),
  achievedRps: num.optional(),
  verdict: verdictSchema,
  /** P50/P95/P99 per latency key "<class>.<metric>" */
  latency: z.record(z.string(), percentilesSchema).optional(),
});

const curvePointSchema = z.looseObject({
  offeredRps: num.optional(),
  concurrency: num.optional(),
  achievedRps: num.optional(),
  verdict: verdictSchema,
  latency: z.record(z.string(), percentilesSchema).optional(),
});

const resultSchema = z.looseObject({
  status: z.string(),
  sustainableRps: num.nullable().optional(),
  /** closed model (LOAD_MODEL=closed): the level is a concurrency */
  sustainableConcurrency: num.nullable().optional(),
  /** open model: lowRps / highRps; closed model: lowConcurrency / highConcurrency */
  interval: z
    .looseObject({
      lowRps: num.nullable().optional(),
      highRps: num.nullable().optional(),
      lowConcurrency: num.nullable().optional(),
      highConcurrency: num.nullable().optional(),
    })
    .optional(),
});

export const capacitySchema = z.looseObject({
  schemaVersion: num,
  tool: z.literal('genload'),
  kind: z.literal('capacity'),
  runId: z.string(),
  scenario: z.string(),
  loadModel: z.enum(['open', 'closed']).optional(),
  startedAt: z.string(),
  endedAt: z.string(),
  status: z.string(),
  message: z.string(),
  exitCode: num,
  result: resultSchema.nullable(),
  steps: z.array(stepSchema),
  curve: z.array(curvePointSchema),
});
export type CapacityRecord = z.infer<typeof capacitySchema>;

/** <runDir>/capacity.json, checked; undefined when the folder holds no capacity search. */
export function readCapacity(runDir: string): CapacityRecord | undefined {
  return readRecord(join(runDir, RUN_FILE.capacity), capacitySchema);
}

/** Writes <runDir>/capacity.json after checking it against the readers' schema (the writer's type is capacity/report.ts's CapacityReport). */
export function writeCapacity(runDir: string, report: object): void {
  writeRecord(join(runDir, RUN_FILE.capacity), capacitySchema, report);
}
