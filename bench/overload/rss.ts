// Samples a process's resident memory (VmRSS from /proc, Linux) at a fixed
// interval; used by the overload and soak benchmarks for the server and k6.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** resident set size in bytes, or undefined when the process is gone */
export function rssBytes(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

export interface RssSample {
  /** ms since the sampler's origin */
  readonly tMs: number;
  readonly rssBytes: number;
}

export interface RssSampler {
  readonly samples: RssSample[];
  stop(): RssSample[];
}

export function sampleRss(pid: () => number | undefined, intervalMs: number, originMs = performance.now()): RssSampler {
  const samples: RssSample[] = [];
  const take = (): void => {
    const p = pid();
    const rss = p === undefined ? undefined : rssBytes(p);
    if (rss !== undefined) samples.push({ tMs: performance.now() - originMs, rssBytes: rss });
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    samples,
    stop: () => {
      clearInterval(timer);
      take();
      return samples;
    },
  };
}

export const mib = (bytes: number): number => bytes / (1024 * 1024);
