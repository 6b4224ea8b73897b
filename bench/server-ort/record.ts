// What every server benchmark records next to its figures: the machine, the
// load average at start and end (other jobs share the 2 cores), the versions,
// and a small text table. One place writes the JSON result files.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';

export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly onnxruntime: string;
  /** os.loadavg() [1, 5, 15 min] when the benchmark started */
  readonly loadAvgStart: readonly number[];
  loadAvgEnd?: readonly number[];
  readonly startedAt: string;
}

export function machineInfo(): MachineInfo {
  const require = createRequire(import.meta.url);
  const ort = require('onnxruntime-node/package.json') as { version: string };
  return {
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    onnxruntime: ort.version,
    loadAvgStart: os.loadavg().map((x) => round(x, 2)),
    startedAt: new Date().toISOString(),
  };
}

export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** q-quantile (0..1) by nearest rank */
export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

/** a Markdown table (also readable in a terminal) */
export function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cell = (v: string | number) => (typeof v === 'number' ? String(round(v, 3)) : v);
  const lines = [header, header.map(() => '---'), ...rows.map((r) => r.map(cell))];
  return lines.map((l) => `| ${l.join(' | ')} |`).join('\n');
}

/** writes the result (machine info completed with the end load average) as pretty JSON */
export function writeResult(path: string, machine: MachineInfo, result: Record<string, unknown>): void {
  machine.loadAvgEnd = os.loadavg().map((x) => round(x, 2));
  writeFileSync(path, `${JSON.stringify({ schemaVersion: 1, machine, ...result }, null, 2)}\n`);
}
