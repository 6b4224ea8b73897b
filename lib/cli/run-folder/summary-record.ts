// summary.json read and written through one schema. k6's handleSummary
// (lib/k6/summary) writes it, typed by the interface in lib/shared/summary.ts
// (shared with lib/k6, which cannot load zod); the CLI reads it back (exit code,
// reports, compare, gate, capacity) and adds its own blocks (server signals,
// generator). The schema checks every field the CLI relies on; the nested
// per-metric and per-class blocks are checked only as objects and typed by their
// interfaces (they are written by k6 in one piece). Unknown fields pass through,
// so a rewrite (summary-blocks.ts, generator-check.ts) keeps them.
// summary-record.test.ts checks schema and interface agree.

import { join } from 'node:path';
import { z } from 'zod';
import { SUMMARY_SCHEMA_VERSION, type ClassStageStats, type Summary } from '../../shared/summary.ts';
import type { TrafficClass } from '../../shared/metrics.ts';
import type { GeneratorBlock } from '../../shared/generator/figures.ts';
import type { PhaseDelivery, TargetLimit } from '../../shared/validity.ts';
import type { ServerSignalsInfo, ServerStageBlock } from '../../shared/server-signals.ts';
import type { WorkloadFileRef } from '../../shared/run-config.ts';
import { RUN_FILE } from './names.ts';
import type { VerdictRecord } from '../../shared/slo/record.ts';
import { readRecord, writeRecord } from './records.ts';

const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A nested block checked only as an object, typed by its interface. */
const block = <T>() => z.custom<T>(isObject, { message: 'must be an object' });

const num = z.number();
const stageSchema = z.looseObject({
  stage: z.string(),
  judged: z.boolean(),
  durationS: num,
  startS: num.optional(),
  offeredRps: num.optional(),
  achievedRps: num,
  requests: num,
  startLagP95Ms: num.optional(),
  concurrency: num.optional(),
  completed: z.boolean(),
  probeLagP95Ms: num.optional(),
  classes: block<Partial<Record<TrafficClass, ClassStageStats>>>(),
  server: block<ServerStageBlock>().optional(),
});

const verdictSchema = z.looseObject({
  stage: z.string(),
  class: z.custom<TrafficClass>((v) => typeof v === 'string', { message: 'must be a traffic class' }),
  meaning: z.string(),
  metric: z.string(),
  expression: z.string(),
  ok: z.boolean(),
  notReached: z.literal(true).optional(),
  delivery: z.literal(true).optional(),
  /** the condition as data (lib/shared/slo/record.ts); absent in summaries written before records existed */
  record: block<VerdictRecord>().optional(),
});

const validitySchema = z.looseObject({
  valid: z.boolean(),
  reasons: z.array(z.string()),
  notes: z.array(z.string()),
  targetLimits: z.array(block<TargetLimit>()),
  droppedIterations: num,
  phases: z.array(block<PhaseDelivery>()),
  generatorLagP95Ms: num.optional(),
});

const sloSchema = z.looseObject({
  name: z.string(),
  passed: z.boolean(),
  aborted: z.boolean(),
  verdicts: z.array(verdictSchema),
  highestPassingRps: num.optional(),
  highestPassingConcurrency: num.optional(),
  throughputAtHighestRps: num.optional(),
});

export const summarySchema = z.looseObject({
  schemaVersion: z.literal(SUMMARY_SCHEMA_VERSION),
  tool: z.literal('genload'),
  scenario: z.string(),
  runId: z.string(),
  target: z.looseObject({ url: z.string(), api: z.string(), model: z.string().nullable() }),
  load: z.record(z.string(), z.unknown()),
  workload: z.record(z.string(), z.unknown()),
  durationMs: num,
  validity: validitySchema,
  slo: sloSchema,
  stages: z.array(stageSchema),
  workloadFile: block<WorkloadFileRef>().optional(),
  tokenWarnings: z.array(z.string()).optional(),
  serverSignals: block<ServerSignalsInfo>().optional(),
  generator: block<GeneratorBlock>().optional(),
});

/** One entry of a k6 summary metric (k6's handleSummary data, the older raw form). */
const summaryMetricSchema = z.looseObject({
  type: z.string(),
  contains: z.string().optional(),
  values: z.record(z.string(), num),
  thresholds: z.record(z.string(), z.looseObject({ ok: z.boolean() })).optional(),
});
export type SummaryMetric = z.infer<typeof summaryMetricSchema>;

/**
 * summary.json as reports, compare and gate read it: any part may be missing
 * (older versions, a run k6 ended early), `metrics` is the older raw k6 form;
 * what is there must be of the summary's types.
 */
export const runSummarySchema = summarySchema.partial().extend({
  validity: validitySchema.partial().required({ valid: true, reasons: true }).optional(),
  slo: sloSchema.partial().required({ passed: true }).optional(),
  metrics: z.record(z.string(), summaryMetricSchema).optional(),
});
export type RunSummary = z.infer<typeof runSummarySchema>;

/** summary.json as k6 wrote it (and the CLI's blocks added), checked; undefined when there is none. */
export function readSummary(path: string): Summary | undefined {
  return readRecord(path, summarySchema);
}

/** summary.json in any state a run folder may hold it (reports). */
export function readRunSummary(runDir: string): RunSummary | undefined {
  return readRecord(join(runDir, RUN_FILE.summary), runSummarySchema);
}

/** Writes summary.json after checking it against the schema its readers use. */
export function writeSummary(path: string, summary: Summary): void {
  writeRecord(path, summarySchema, summary);
}
