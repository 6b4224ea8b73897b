// The monitors' record (<runDir>/monitors.json): time series sampled while k6
// ran. Times are epoch milliseconds; each series holds only what could be read.

export const MONITORS_SCHEMA_VERSION = 1;

export interface ProcessPoint {
  tMs: number;
  /** CPU time the target process used over the interval, percent of one core (200 = two cores busy) */
  cpuPercent: number;
  /** resident memory of the target process */
  rssBytes: number;
}

export interface HostPoint {
  tMs: number;
  /** whole-machine CPU busy over the interval, percent of all cores (0..100); k6 shares it */
  cpuPercent: number;
  /** MemTotal - MemAvailable */
  memUsedBytes: number;
}

export interface GpuPoint {
  tMs: number;
  /** GPU index as nvidia-smi numbers it */
  index: string;
  utilPercent: number;
  memUsedBytes: number;
  memTotalBytes: number;
}

export interface ServerPoint {
  tMs: number;
  /** selected Prometheus series of the target, each summed over its label sets (counters stay cumulative) */
  values: Record<string, number>;
  /** the detected dialect's series (server-signals/snapshot.ts): `<label group>|<name>`, summed over other labels */
  series?: Record<string, number>;
}

export interface Monitors {
  schemaVersion: number;
  intervalMs: number;
  startedAt: string;
  /** set by stop(); absent in a file flushed mid-run (the run was killed) */
  endedAt?: string;
  target: { pid: number | null; metricsUrl: string | null };
  /** whether GPU series could be sampled, and why not */
  gpu: { available: boolean; note: string };
  process: ProcessPoint[];
  host: HostPoint[];
  gpuSeries: GpuPoint[];
  server: ServerPoint[];
  /** the dialect the server series were read with (server-signals/dialects.ts); id null: none recognised */
  serverDialect?: { id: string | null; how: 'detected' | 'forced' | 'none' };
  /** first failure of each kind (a process that exited, a /metrics that stopped answering) */
  notes: string[];
}
