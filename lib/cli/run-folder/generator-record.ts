// The load generator's own record (<runDir>/generator.json): the CPU of the k6
// processes sampled while they ran (lib/cli/monitor/generator.ts writes it at
// stop(); the per-stage judgement, lib/cli/run/generator-check.ts, works on the
// same series). One schema for writer and reader; the types are derived from it.

import { join } from 'node:path';
import { z } from 'zod';
import { RUN_FILE } from './names.ts';
import { readRecord, writeRecord } from './records.ts';

export const GENERATOR_SCHEMA_VERSION = 1;

const generatorPointSchema = z.object({
  /** end of the interval, epoch ms */
  tMs: z.number(),
  intervalMs: z.number(),
  /** CPU time all k6 processes used over the interval / its length: 1 = one core busy */
  cpuCores: z.number(),
  /**
   * time k6's threads were runnable but waited on a run queue over the interval / its length
   * (schedstat): CPU k6 wanted and did not get while its cores were busy
   */
  waitCores: z.number().optional(),
  /** cores they may use (affinity and cgroup quota; summed over processes, capped by the union of their CPUs) */
  allowedCores: z.number(),
  processes: z.number(),
});
export type GeneratorPoint = z.infer<typeof generatorPointSchema>;

const cpuAllowanceSchema = z.object({
  /** cores the process may keep busy: min(affinity CPUs, quota / period) */
  cores: z.number(),
  /** the CPUs of its affinity mask, e.g. "0" or "0-1" */
  cpusAllowed: z.string(),
  /** what set the figure, e.g. "affinity 0" or "cgroup quota 50000/100000 µs" */
  limitedBy: z.string(),
});
export type CpuAllowance = z.infer<typeof cpuAllowanceSchema>;

export const generatorSchema = z.object({
  schemaVersion: z.literal(GENERATOR_SCHEMA_VERSION),
  k6Path: z.string(),
  intervalMs: z.number(),
  points: z.array(generatorPointSchema),
  /** what the CPU allowance was, as first read */
  allowance: cpuAllowanceSchema.optional(),
  notes: z.array(z.string()),
});
export type GeneratorSeries = z.infer<typeof generatorSchema>;

/** <runDir>/generator.json, checked; undefined when the run has none. */
export function readGeneratorSeries(runDir: string): GeneratorSeries | undefined {
  return readRecord(join(runDir, RUN_FILE.generator), generatorSchema);
}

/** Writes <runDir>/generator.json after checking it against the readers' schema. */
export function writeGeneratorSeries(runDir: string, series: GeneratorSeries): void {
  writeRecord(join(runDir, RUN_FILE.generator), generatorSchema, series);
}
