// GPU utilisation and memory from nvidia-smi, read at scrape time. When the
// binary is not on PATH (as on the CPU-only project machines) the gauges are
// not registered at all, so a dashboard shows "no data" rather than a false 0.
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { Gauge, type Registry } from 'prom-client';

export function findOnPath(binary: string, pathEnv = process.env.PATH ?? ''): string | undefined {
  for (const dir of pathEnv.split(delimiter).filter(Boolean)) {
    try {
      accessSync(join(dir, binary), constants.X_OK);
      return join(dir, binary);
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

export interface GpuSample {
  readonly index: string;
  readonly utilizationRatio: number;
  readonly memoryUsedBytes: number;
  readonly memoryTotalBytes: number;
}

/** parses `--query-gpu=index,utilization.gpu,memory.used,memory.total --format=csv,noheader,nounits` (MiB) */
export function parseNvidiaSmi(csv: string): GpuSample[] {
  const mib = 1024 * 1024;
  return csv
    .split('\n')
    .map((line) => line.split(',').map((s) => s.trim()))
    .filter((cols) => cols.length === 4 && cols.slice(1).every((c) => Number.isFinite(Number(c))))
    .map(([index, util, used, total]) => ({
      index: index!,
      utilizationRatio: Number(util) / 100,
      memoryUsedBytes: Number(used) * mib,
      memoryTotalBytes: Number(total) * mib,
    }));
}

function query(binary: string): Promise<GpuSample[]> {
  return new Promise((resolve) => {
    execFile(
      binary,
      ['--query-gpu=index,utilization.gpu,memory.used,memory.total', '--format=csv,noheader,nounits'],
      { timeout: 2000 },
      (err, stdout) => resolve(err ? [] : parseNvidiaSmi(stdout)),
    );
  });
}

/** registers the GPU gauges when nvidia-smi exists; returns whether it did */
export function registerGpuMetrics(registry: Registry, binary = findOnPath('nvidia-smi')): boolean {
  if (!binary) return false;
  let pending: Promise<GpuSample[]> | undefined;
  // one nvidia-smi call per scrape, shared by the three gauges
  const sample = (): Promise<GpuSample[]> => {
    pending ??= query(binary).finally(() => setTimeout(() => (pending = undefined), 100));
    return pending;
  };
  const gauge = (name: string, help: string, pick: (s: GpuSample) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['gpu'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const s of await sample()) this.set({ gpu: s.index }, pick(s));
      },
    });
  gauge(
    'genload_gpu_utilization_ratio',
    'GPU compute utilisation, 0..1 (nvidia-smi utilization.gpu)',
    (s) => s.utilizationRatio,
  );
  gauge('genload_gpu_memory_used_bytes', 'GPU memory in use (nvidia-smi memory.used)', (s) => s.memoryUsedBytes);
  gauge('genload_gpu_memory_total_bytes', 'GPU memory size (nvidia-smi memory.total)', (s) => s.memoryTotalBytes);
  return true;
}
