// How much CPU a process may use: its affinity mask (the CPUs the scheduler may
// run it on: sched_getaffinity, read from /proc/<pid>/status) capped by its
// cgroup's CPU quota (cgroup v2 cpu.max, v1 cpu.cfs_quota_us / cfs_period_us,
// the tightest of the process's cgroup and its parents). The host's core count
// alone overstates it under taskset, in a container or a CPU-limited pod.
// Parsers are pure and take the file text; the reader takes a read function.

import { readFileSync } from 'node:fs';
import type { CpuAllowance } from '../run-folder/generator-record.ts';

// declared with generator.json's schema, which records it
export type { CpuAllowance } from '../run-folder/generator-record.ts';

/** Number of CPUs of a cpu list such as "0-3,6,8-9"; undefined when malformed. */
export function countCpuList(list: string): number | undefined {
  let n = 0;
  for (const part of list.trim().split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (m === null) return undefined;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from) return undefined;
    n += to - from + 1;
  }
  return n;
}

/** Cpus_allowed_list of /proc/<pid>/status. */
export function parseCpusAllowed(status: string): string | undefined {
  return /^Cpus_allowed_list:\s*(\S+)/m.exec(status)?.[1];
}

/** cgroup v2 cpu.max ("max 100000" or "50000 100000"): cores, or undefined when unlimited. */
export function parseCpuMax(text: string): { quotaUs: number; periodUs: number } | undefined {
  const [quota, period] = text.trim().split(/\s+/);
  if (quota === undefined || quota === 'max' || period === undefined) return undefined;
  const q = Number(quota);
  const p = Number(period);
  return Number.isFinite(q) && Number.isFinite(p) && q > 0 && p > 0 ? { quotaUs: q, periodUs: p } : undefined;
}

/** The cgroup paths of /proc/<pid>/cgroup: the v2 path ("0::/x") and the v1 cpu controller's. */
export function parseCgroupPaths(text: string): { v2?: string; v1Cpu?: { mount: string; path: string } } {
  const out: { v2?: string; v1Cpu?: { mount: string; path: string } } = {};
  for (const line of text.split('\n')) {
    const m = /^\d+:([^:]*):(.*)$/.exec(line.trim());
    if (m === null) continue;
    const controllers = m[1]!.split(',');
    if (m[1] === '') out.v2 = m[2]!;
    else if (controllers.includes('cpu')) out.v1Cpu = { mount: m[1]!, path: m[2]! };
  }
  return out;
}

/** The directory and its parents up to the root: /a/b -> [/a/b, /a, /] */
function upward(path: string): string[] {
  const parts = path.split('/').filter((p) => p !== '');
  const out: string[] = [];
  for (let i = parts.length; i >= 0; i--) out.push(`/${parts.slice(0, i).join('/')}`);
  return out;
}

type Read = (path: string) => string | undefined;

const readText: Read = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/** The tightest CPU quota of the process's cgroup and its parents, in cores; undefined when none. */
export function cgroupQuota(pid: number, read: Read = readText): { cores: number; text: string } | undefined {
  const paths = parseCgroupPaths(read(`/proc/${pid}/cgroup`) ?? '');
  let best: { cores: number; text: string } | undefined;
  const consider = (q: { quotaUs: number; periodUs: number } | undefined, where: string): void => {
    if (q === undefined) return;
    const cores = q.quotaUs / q.periodUs;
    if (best === undefined || cores < best.cores)
      best = { cores, text: `cgroup quota ${q.quotaUs}/${q.periodUs} µs (${where})` };
  };
  if (paths.v2 !== undefined)
    for (const dir of upward(paths.v2)) {
      const text = read(`/sys/fs/cgroup${dir === '/' ? '' : dir}/cpu.max`);
      if (text !== undefined) consider(parseCpuMax(text), `cpu.max of ${dir}`);
    }
  if (paths.v1Cpu !== undefined)
    for (const dir of upward(paths.v1Cpu.path)) {
      const base = `/sys/fs/cgroup/${paths.v1Cpu.mount}${dir === '/' ? '' : dir}`;
      const quota = read(`${base}/cpu.cfs_quota_us`);
      const period = read(`${base}/cpu.cfs_period_us`);
      if (quota !== undefined && period !== undefined)
        consider(parseCpuMax(`${Number(quota) < 0 ? 'max' : quota.trim()} ${period.trim()}`), `cfs quota of ${dir}`);
    }
  return best;
}

/** The CPU the process may use; undefined when its /proc entry cannot be read (exited, not Linux). */
export function readCpuAllowance(pid: number, read: Read = readText): CpuAllowance | undefined {
  const status = read(`/proc/${pid}/status`);
  const list = status === undefined ? undefined : parseCpusAllowed(status);
  const affinity = list === undefined ? undefined : countCpuList(list);
  if (list === undefined || affinity === undefined) return undefined;
  const quota = cgroupQuota(pid, read);
  if (quota !== undefined && quota.cores < affinity)
    return { cores: quota.cores, cpusAllowed: list, limitedBy: quota.text };
  return { cores: affinity, cpusAllowed: list, limitedBy: `affinity ${list}` };
}
