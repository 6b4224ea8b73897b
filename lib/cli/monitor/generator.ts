// Samples the load generator itself while it runs: the CPU time of every k6
// process this CLI started (found as our children running the k6 binary, so
// INSTANCES > 1 and a taskset wrapper need no plumbing) and the CPU those
// processes may use (cpu-allowance.ts). /proc/<pid>/stat's utime + stime
// already sum all of a process's threads. Writes <runDir>/generator.json at
// stop(); the per-stage judgement reads it (lib/cli/run/generator-check.ts).

import { readdirSync, readlinkSync, readFileSync, realpathSync } from 'node:fs';
import {
  GENERATOR_SCHEMA_VERSION,
  writeGeneratorSeries,
  type GeneratorSeries,
} from '../run-folder/generator-record.ts';
import { readCpuAllowance, type CpuAllowance } from './cpu-allowance.ts';
import { CLOCK_TICKS_PER_S, parseProcStat } from './proc.ts';

export type { GeneratorPoint, GeneratorSeries } from '../run-folder/generator-record.ts';

/** The outside world, injectable for tests. */
export interface GeneratorDeps {
  now: () => number;
  /** pids of the k6 processes running now */
  findK6: () => number[];
  cpuTicks: (pid: number) => number | undefined;
  /** run-queue wait of all the process's threads, ns (undefined without schedstats) */
  waitNs: (pid: number) => number | undefined;
  allowance: (pid: number) => CpuAllowance | undefined;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** pids whose parent is `parentPid` and whose executable is `exe`. */
export function childrenRunning(parentPid: number, exe: string): number[] {
  const out: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const stat = readText(`/proc/${e}/stat`);
    if (stat === undefined) continue;
    // field 4 (ppid) follows the state after the command name
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid !== parentPid) continue;
    try {
      if (readlinkSync(`/proc/${e}/exe`) === exe) out.push(Number(e));
    } catch {
      // exited between the listing and the read
    }
  }
  return out;
}

export function defaultGeneratorDeps(k6Path: string): GeneratorDeps {
  let exe = k6Path;
  try {
    exe = realpathSync(k6Path);
  } catch {
    // keep the path as given: /proc/<pid>/exe of a missing file never matches, and the series notes it
  }
  return {
    now: Date.now,
    findK6: () => childrenRunning(process.pid, exe),
    cpuTicks: (pid) => {
      const stat = readText(`/proc/${pid}/stat`);
      return stat === undefined ? undefined : parseProcStat(stat);
    },
    waitNs: (pid) => threadsWaitNs(pid),
    allowance: (pid) => readCpuAllowance(pid),
  };
}

export interface GeneratorHandle {
  sampleNow(): void;
  stop(): GeneratorSeries;
  readonly series: Readonly<GeneratorSeries>;
}

/** Samples every intervalMs (default 1000: the issue asks at least every second) until stop(). */
export function startGeneratorMonitor(
  opts: { runDir: string; k6Path: string; intervalMs?: number },
  deps: GeneratorDeps = defaultGeneratorDeps(opts.k6Path),
  autoStart = true,
): GeneratorHandle {
  const intervalMs = opts.intervalMs ?? 1000;
  const series: GeneratorSeries = {
    schemaVersion: GENERATOR_SCHEMA_VERSION,
    k6Path: opts.k6Path,
    intervalMs,
    points: [],
    notes: [],
  };
  const prev = new Map<number, number>();
  const prevWait = new Map<number, number>();
  let prevT: number | undefined;

  const sample = (): void => {
    const tMs = deps.now();
    const pids = deps.findK6();
    let ticks = 0;
    let waitNs = 0;
    let waitSeen = 0;
    let seen = 0;
    let allowed = 0;
    const cpus = new Set<string>();
    for (const pid of pids) {
      const t = deps.cpuTicks(pid);
      if (t === undefined) continue;
      const before = prev.get(pid);
      prev.set(pid, t);
      const w = deps.waitNs(pid);
      const wBefore = prevWait.get(pid);
      if (w !== undefined) prevWait.set(pid, w);
      if (w !== undefined && wBefore !== undefined && before !== undefined) {
        // a thread that exited takes its wait with it: never a negative interval
        waitNs += Math.max(0, w - wBefore);
        waitSeen++;
      }
      const a = deps.allowance(pid);
      if (a !== undefined) {
        allowed += a.cores;
        cpus.add(a.cpusAllowed);
        series.allowance ??= a;
      }
      if (before === undefined) continue;
      ticks += t - before;
      seen++;
    }
    // processes on the same CPUs share them: never more than the union of their masks
    const union = unionCount([...cpus]);
    if (union !== undefined) allowed = Math.min(allowed, union);
    if (prevT !== undefined && seen > 0 && tMs > prevT && allowed > 0) {
      const dtMs = tMs - prevT;
      series.points.push({
        tMs,
        intervalMs: dtMs,
        cpuCores: Math.max(0, ticks / CLOCK_TICKS_PER_S / (dtMs / 1000)),
        ...(waitSeen > 0 ? { waitCores: waitNs / 1e6 / dtMs } : {}),
        allowedCores: allowed,
        processes: seen,
      });
    }
    prevT = tMs;
  };

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = (): void => {
    try {
      sample();
    } catch (err) {
      if (series.notes.length < 3) series.notes.push(`sampling failed: ${(err as Error).message}`);
    }
    if (!stopped) timer = setTimeout(tick, intervalMs);
  };
  if (autoStart) tick();
  return {
    series,
    sampleNow: sample,
    stop() {
      if (!stopped) {
        stopped = true;
        if (timer !== undefined) clearTimeout(timer);
        if (series.points.length === 0) series.notes.push('no k6 process was sampled: no generator CPU figures');
        writeGeneratorSeries(opts.runDir, series);
      }
      return series;
    },
  };
}

/** Sum of the second field (ns waiting on a run queue) of /proc/<pid>/task/<tid>/schedstat over every thread. */
export function threadsWaitNs(pid: number): number | undefined {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return undefined;
  }
  let sum = 0;
  let read = 0;
  for (const tid of tids) {
    const f = readText(`/proc/${pid}/task/${tid}/schedstat`)?.trim().split(/\s+/);
    const wait = Number(f?.[1]);
    if (!Number.isFinite(wait)) continue;
    sum += wait;
    read++;
  }
  return read === 0 ? undefined : sum;
}

/** CPUs in the union of cpu lists ("0-1", "1,3"); undefined when one is malformed. */
export function unionCount(lists: readonly string[]): number | undefined {
  if (lists.length === 0) return undefined;
  const cpus = new Set<number>();
  for (const list of lists)
    for (const part of list.split(',')) {
      const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
      if (m === null) return undefined;
      const to = m[2] === undefined ? Number(m[1]) : Number(m[2]);
      for (let c = Number(m[1]); c <= to && cpus.size < 4096; c++) cpus.add(c);
    }
  return cpus.size;
}
