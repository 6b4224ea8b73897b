// The monitors' record (<runDir>/monitors.json): time series sampled while k6
// ran, written by lib/cli/monitor, read by reports, the server-signal blocks and
// the generator check. Times are epoch milliseconds; each series holds only what
// could be read. One schema for writer and reader; the types are derived from it.

import { join } from 'node:path';
import { z } from 'zod';
import { RUN_FILE } from './names.ts';
import { readRecord, writeRecord } from './records.ts';

export const MONITORS_SCHEMA_VERSION = 1;

const processPointSchema = z.object({
  tMs: z.number(),
  /** CPU time the target process used over the interval, percent of one core (200 = two cores busy) */
  cpuPercent: z.number(),
  /** resident memory of the target process */
  rssBytes: z.number(),
});
export type ProcessPoint = z.infer<typeof processPointSchema>;

const hostPointSchema = z.object({
  tMs: z.number(),
  /** whole-machine CPU busy over the interval, percent of all cores (0..100); k6 shares it */
  cpuPercent: z.number(),
  /** MemTotal - MemAvailable */
  memUsedBytes: z.number(),
});
export type HostPoint = z.infer<typeof hostPointSchema>;

const gpuPointSchema = z.object({
  tMs: z.number(),
  /** GPU index as nvidia-smi numbers it */
  index: z.string(),
  utilPercent: z.number(),
  memUsedBytes: z.number(),
  memTotalBytes: z.number(),
});
export type GpuPoint = z.infer<typeof gpuPointSchema>;

const serverPointSchema = z.object({
  tMs: z.number(),
  /** selected Prometheus series of the target, each summed over its label sets (counters stay cumulative) */
  values: z.record(z.string(), z.number()),
  /** the detected dialect's series (server-signals/snapshot.ts): `<label group>|<name>`, summed over other labels */
  series: z.record(z.string(), z.number()).optional(),
});
export type ServerPoint = z.infer<typeof serverPointSchema>;

export const monitorsSchema = z.object({
  schemaVersion: z.number(),
  intervalMs: z.number(),
  startedAt: z.string(),
  /** set by stop(); absent in a file flushed mid-run (the run was killed) */
  endedAt: z.string().optional(),
  target: z.object({ pid: z.number().nullable(), metricsUrl: z.string().nullable() }),
  /** whether GPU series could be sampled, and why not */
  gpu: z.object({ available: z.boolean(), note: z.string() }),
  process: z.array(processPointSchema),
  host: z.array(hostPointSchema),
  gpuSeries: z.array(gpuPointSchema),
  server: z.array(serverPointSchema),
  /** the dialect the server series were read with (server-signals/dialects.ts); id null: none recognised */
  serverDialect: z.object({ id: z.string().nullable(), how: z.enum(['detected', 'forced', 'none']) }).optional(),
  /** first failure of each kind (a process that exited, a /metrics that stopped answering) */
  notes: z.array(z.string()),
});
export type Monitors = z.infer<typeof monitorsSchema>;

/** <runDir>/monitors.json, checked; undefined when the run has none. */
export function readMonitors(runDir: string): Monitors | undefined {
  return readRecord(join(runDir, RUN_FILE.monitors), monitorsSchema);
}

/** Writes <runDir>/monitors.json after checking it against the readers' schema. */
export function writeMonitors(runDir: string, monitors: Monitors): void {
  writeRecord(join(runDir, RUN_FILE.monitors), monitorsSchema, monitors);
}
