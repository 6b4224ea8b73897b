// Samples the target while k6 runs: its process CPU and memory (/proc, when
// the target is local), the machine's CPU and memory, GPU utilisation and
// memory (nvidia-smi, when present), and the target's /metrics (when it has
// one). Writes <runDir>/monitors.json atomically every few samples, so a run
// killed with -9 keeps most of its series, and once more at stop().

import { execFile } from 'node:child_process';
import { findOnPath, parseNvidiaSmi } from '../../server/metrics/gpu.ts';
import { serverScraper } from './server-signals/scraper.ts';
import { CLOCK_TICKS_PER_S, readHostTimes, readProcessTimes, type HostTimes } from './proc.ts';
import { MONITORS_SCHEMA_VERSION, writeMonitors, type GpuPoint, type Monitors } from '../run-folder/monitors.ts';

export interface MonitorOptions {
  runDir: string;
  /** pid of the local target process (the managed reference server) */
  serverPid?: number;
  /** the target's Prometheus endpoint, e.g. http://127.0.0.1:8000/metrics */
  metricsUrl?: string;
  /** SERVER_DIALECT: read /metrics with this dialect instead of detecting it */
  serverDialect?: string;
  /** sampling interval; default 1000 ms */
  intervalMs?: number;
  /** write the file every this many samples; default 5 */
  flushEvery?: number;
}

/** The outside world, injectable for tests. */
export interface MonitorDeps {
  now: () => number;
  readProcess: typeof readProcessTimes;
  readHost: () => ReturnType<typeof readHostTimes>;
  /** undefined when no nvidia-smi is installed */
  queryGpu: (() => Promise<string>) | undefined;
  fetchText: (url: string, timeoutMs: number) => Promise<string>;
}

function nvidiaSmiQuery(binary: string): () => Promise<string> {
  return () =>
    new Promise((resolveQuery, reject) =>
      execFile(
        binary,
        ['--query-gpu=index,utilization.gpu,memory.used,memory.total', '--format=csv,noheader,nounits'],
        { timeout: 2000 },
        (err, stdout) => (err ? reject(err) : resolveQuery(stdout)),
      ),
    );
}

export function defaultDeps(): MonitorDeps {
  const smi = findOnPath('nvidia-smi');
  return {
    now: Date.now,
    readProcess: readProcessTimes,
    readHost: () => readHostTimes(),
    queryGpu: smi === undefined ? undefined : nvidiaSmiQuery(smi),
    fetchText: async (url, timeoutMs) => {
      const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
      if (!res.ok) throw new Error(`status ${res.status}`);
      return res.text();
    },
  };
}

export interface MonitorHandle {
  /** takes no more samples, writes the final file; idempotent */
  stop(): Promise<void>;
  /** one sample now (tests drive sampling with this instead of waiting) */
  sampleNow(): Promise<void>;
  readonly record: Readonly<Monitors>;
}

export function startMonitors(
  opts: MonitorOptions,
  deps: MonitorDeps = defaultDeps(),
  autoStart = true,
): MonitorHandle {
  const intervalMs = opts.intervalMs ?? 1000;
  const flushEvery = opts.flushEvery ?? 5;
  const record: Monitors = {
    schemaVersion: MONITORS_SCHEMA_VERSION,
    intervalMs,
    startedAt: new Date(deps.now()).toISOString(),
    target: { pid: opts.serverPid ?? null, metricsUrl: opts.metricsUrl ?? null },
    gpu:
      deps.queryGpu === undefined
        ? { available: false, note: 'nvidia-smi not found on PATH: no GPU series' }
        : { available: true, note: 'nvidia-smi' },
    process: [],
    host: [],
    gpuSeries: [],
    server: [],
    notes: [],
  };
  const noted = new Set<string>();
  const note = (kind: string, text: string): void => {
    if (noted.has(kind)) return;
    noted.add(kind);
    record.notes.push(text);
  };
  let prevProc: { tMs: number; cpuTicks: number } | undefined;
  let prevHost: HostTimes | undefined;
  let samples = 0;
  const scraper = serverScraper(opts.serverDialect);

  const sample = async (): Promise<void> => {
    const tMs = deps.now();
    if (opts.serverPid !== undefined) {
      const p = deps.readProcess(opts.serverPid);
      if (p === undefined)
        note('process', `process ${opts.serverPid} could not be read at ${new Date(tMs).toISOString()} (exited?)`);
      else {
        if (prevProc !== undefined && tMs > prevProc.tMs) {
          const cpuPercent =
            ((p.cpuTicks - prevProc.cpuTicks) / CLOCK_TICKS_PER_S / ((tMs - prevProc.tMs) / 1000)) * 100;
          record.process.push({ tMs, cpuPercent: Math.max(0, cpuPercent), rssBytes: p.rssBytes });
        }
        prevProc = { tMs, cpuTicks: p.cpuTicks };
      }
    }
    const h = deps.readHost();
    if (h !== undefined) {
      if (prevHost !== undefined && h.totalTicks > prevHost.totalTicks) {
        record.host.push({
          tMs,
          cpuPercent: ((h.busyTicks - prevHost.busyTicks) / (h.totalTicks - prevHost.totalTicks)) * 100,
          memUsedBytes: h.memUsedBytes,
        });
      }
      prevHost = h;
    }
    const tasks: Promise<void>[] = [];
    if (deps.queryGpu !== undefined) {
      tasks.push(
        deps.queryGpu().then(
          (csv) =>
            void record.gpuSeries.push(
              ...parseNvidiaSmi(csv).map((g): GpuPoint => ({
                tMs,
                index: g.index,
                utilPercent: g.utilizationRatio * 100,
                memUsedBytes: g.memoryUsedBytes,
                memTotalBytes: g.memoryTotalBytes,
              })),
            ),
          (err: Error) => note('gpu', `nvidia-smi failed: ${err.message}`),
        ),
      );
    }
    if (opts.metricsUrl !== undefined) {
      const url = opts.metricsUrl;
      tasks.push(
        deps.fetchText(url, Math.min(2000, intervalMs)).then(
          (text) => {
            record.server.push({ tMs, ...scraper.read(text) });
            record.serverDialect = { id: scraper.dialect?.id ?? null, how: scraper.how };
          },
          (err: Error) => note('metrics', `${url} failed at ${new Date(tMs).toISOString()}: ${err.message}`),
        ),
      );
    }
    await Promise.all(tasks);
    samples++;
    if (samples % flushEvery === 0) writeMonitors(opts.runDir, record);
  };

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  const tick = (): void => {
    inFlight = sample()
      .catch((err: Error) => note('sample', `sampling failed: ${err.message}`))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  if (autoStart) tick();

  return {
    record,
    sampleNow: () => sample(),
    async stop() {
      if (stopped) return;
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await inFlight;
      record.endedAt = new Date(deps.now()).toISOString();
      writeMonitors(opts.runDir, record);
    },
  };
}
