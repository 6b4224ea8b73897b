// The load generator's figures per stage, from the series sampled while k6 ran
// (k6's CPU and what it may use, the host's CPU, the local target's CPU) and
// the stage's place in time: each sample covers (tMs - intervalMs, tMs], and a
// stage's figure is the mean of the samples weighted by how much of each lies
// inside the stage. Pure.

import type { StageSummary } from '../summary.ts';
import { serverTimeOf, type ServerTimeShare } from '../server-time.ts';

export interface IntervalPoint {
  /** end of the interval, epoch ms */
  tMs: number;
  intervalMs: number;
  value: number;
}

export interface GeneratorStage {
  stage: string;
  /** mean cores k6 kept busy in the stage (all its processes and threads) */
  k6CpuCores?: number;
  /** mean cores' worth of time k6's threads were runnable but waited for a CPU (its cores were busy) */
  k6WaitCores?: number;
  /** cores k6 may use (affinity mask, cgroup quota) */
  allowedCores?: number;
  /** k6CpuCores / allowedCores, 0..1 */
  k6CpuShare?: number;
  /** whole-machine CPU busy, 0..1 of all its cores */
  hostCpuShare?: number;
  /** the local target's process, mean cores busy (the managed reference server beside k6) */
  targetCpuCores?: number;
  /** p95 of the probe VU's oversleep in the stage, ms */
  probeLagP95Ms?: number;
  /** the target's own time against e2e (Server-Timing today) */
  serverTime?: ServerTimeShare;
  /** seconds of CPU samples the stage's figures rest on */
  sampledS: number;
  /** set by the judgement: k6 was out of CPU in this stage */
  bound?: boolean;
  /** why it was judged bound, in words with the figure */
  reason?: string;
}

export interface GeneratorBlock {
  /** what limited k6's CPU, e.g. "affinity 0" */
  limitedBy?: string;
  /** the share of allowed CPU at or above which a stage is generator-bound */
  boundShare: number;
  /** the per-stage probe lag p95 above which a stage is generator-bound, ms */
  probeLagBoundMs: number;
  stages: GeneratorStage[];
  /** first judged stage where k6 was out of CPU: the answer is at least the load before it */
  firstBoundStage?: string;
  notes: string[];
}

export interface GeneratorSeriesInput {
  /** epoch ms the k6 test started: stage startS counts from it */
  testStartMs: number;
  k6: readonly IntervalPoint[];
  /** run-queue wait of k6's threads, cores' worth (same times as k6; absent without schedstats) */
  k6Wait?: readonly IntervalPoint[];
  /** allowed cores per k6 sample (same times as k6) */
  allowed: readonly IntervalPoint[];
  /** host CPU busy, 0..1 */
  host: readonly IntervalPoint[];
  /** target process, cores busy */
  target: readonly IntervalPoint[];
}

/** Overlap-weighted mean of the points over [fromMs, toMs); the weight (seconds) is returned too. */
export function meanOver(
  points: readonly IntervalPoint[],
  fromMs: number,
  toMs: number,
): { mean: number; weightS: number } | undefined {
  let w = 0;
  let sum = 0;
  for (const p of points) {
    const overlap = Math.min(p.tMs, toMs) - Math.max(p.tMs - p.intervalMs, fromMs);
    if (overlap <= 0) continue;
    w += overlap;
    sum += p.value * overlap;
  }
  return w === 0 ? undefined : { mean: sum / w, weightS: w / 1000 };
}

/** The stage figures; stages without a planned start (older summaries) get only what the summary holds. */
export function stageFigures(stages: readonly StageSummary[], input: GeneratorSeriesInput): GeneratorStage[] {
  return stages.map((s) => {
    const out: GeneratorStage = { stage: s.stage, sampledS: 0 };
    if (s.probeLagP95Ms !== undefined) out.probeLagP95Ms = s.probeLagP95Ms;
    const st = serverTimeOf(s);
    if (st !== undefined) out.serverTime = st;
    if (s.startS === undefined) return out;
    const from = input.testStartMs + s.startS * 1000;
    const to = from + s.durationS * 1000;
    const k6 = meanOver(input.k6, from, to);
    const allowed = meanOver(input.allowed, from, to);
    if (k6 !== undefined && allowed !== undefined && allowed.mean > 0) {
      out.k6CpuCores = k6.mean;
      out.allowedCores = allowed.mean;
      out.k6CpuShare = k6.mean / allowed.mean;
      out.sampledS = k6.weightS;
      const wait = meanOver(input.k6Wait ?? [], from, to);
      if (wait !== undefined) out.k6WaitCores = wait.mean;
    }
    const host = meanOver(input.host, from, to);
    if (host !== undefined) out.hostCpuShare = host.mean;
    const target = meanOver(input.target, from, to);
    if (target !== undefined) out.targetCpuCores = target.mean;
    return out;
  });
}
