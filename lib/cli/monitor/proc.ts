// CPU and memory from Linux /proc: a process's CPU ticks and resident memory,
// and the whole machine's busy CPU and used memory. Parsers are pure and take
// the file text; the readers return undefined when the file is gone (the
// process exited) or unreadable (not Linux).

import { readFileSync } from 'node:fs';

/** USER_HZ: the unit of /proc CPU times; 100 on every mainstream Linux architecture. */
export const CLOCK_TICKS_PER_S = 100;

export interface ProcessTimes {
  /** utime + stime, in clock ticks */
  cpuTicks: number;
  rssBytes: number;
}

/** /proc/<pid>/stat: fields after the command name (which may hold spaces and parentheses). */
export function parseProcStat(stat: string): number | undefined {
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state); utime is field 14, stime field 15
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? utime + stime : undefined;
}

/** The `Key:   123 kB` value of /proc/<pid>/status or /proc/meminfo, in bytes. */
export function parseKbField(text: string, key: string): number | undefined {
  const m = new RegExp(`^${key}:\\s+(\\d+)\\s*kB`, 'm').exec(text);
  return m?.[1] !== undefined ? Number(m[1]) * 1024 : undefined;
}

export interface HostTimes {
  busyTicks: number;
  totalTicks: number;
}

/** First line of /proc/stat: cpu user nice system idle iowait irq softirq steal ... */
export function parseHostStat(stat: string): HostTimes | undefined {
  const line = stat.split('\n').find((l) => l.startsWith('cpu '));
  if (line === undefined) return undefined;
  const f = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (f.length < 5 || f.some((x) => !Number.isFinite(x))) return undefined;
  const total = f.reduce((a, b) => a + b, 0);
  const idle = (f[3] ?? 0) + (f[4] ?? 0);
  return { busyTicks: total - idle, totalTicks: total };
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

export function readProcessTimes(pid: number, read = readText): ProcessTimes | undefined {
  const stat = read(`/proc/${pid}/stat`);
  const status = read(`/proc/${pid}/status`);
  if (stat === undefined || status === undefined) return undefined;
  const cpuTicks = parseProcStat(stat);
  const rssBytes = parseKbField(status, 'VmRSS');
  return cpuTicks !== undefined && rssBytes !== undefined ? { cpuTicks, rssBytes } : undefined;
}

export function readHostTimes(read = readText): (HostTimes & { memUsedBytes: number }) | undefined {
  const stat = read('/proc/stat');
  const meminfo = read('/proc/meminfo');
  if (stat === undefined || meminfo === undefined) return undefined;
  const times = parseHostStat(stat);
  const total = parseKbField(meminfo, 'MemTotal');
  const available = parseKbField(meminfo, 'MemAvailable');
  if (times === undefined || total === undefined || available === undefined) return undefined;
  return { ...times, memUsedBytes: total - available };
}
