// capacity.json: the versioned record of one capacity search. Data first:
// one row per step, the latency-vs-throughput curve, the result with its
// interval, and the capacity plan. Reports render from it. Pure.

import type { StepJudgement } from './acceptance.ts';
import type { LatencySummary, StepMeasurement } from '../../shared/capacity/measurement.ts';
import type { ReplicaPlan } from './replica-plan.ts';
import type { SearchResult, StepPurpose } from './stepper.ts';

export const CAPACITY_SCHEMA_VERSION = 1;

/** How the search ended: the stepper's status, or the reason it was cut short. */
export type CapacityStatus = SearchResult['status'] | 'target-down' | 'interrupted' | 'k6-failed' | 'generator-bound';

export interface StepRow {
  /** 1-based */
  step: number;
  purpose: StepPurpose;
  /** sub-folder of the run folder holding this step's k6 files */
  dir: string;
  startedAt: string;
  wallSeconds: number;
  /** open-model steps: the arrival rate offered */
  offeredRps?: number;
  /** closed-model steps (LOAD_MODEL=closed, and the throughput probe of an open search): requests held in flight */
  concurrency?: number;
  /** length of the step's measurement window, seconds (sized per step from the latency variance) */
  measureSeconds: number;
  achievedRps: number;
  requests: number;
  errorRate: number;
  droppedIterations: number;
  startLagP95Ms: number | null;
  /** P50/P95/P99 of every latency the SLO can bound, keyed "<class>.<metric>" */
  latency: Record<string, LatencySummary>;
  halvesP50Ms: StepMeasurement['halvesP50Ms'];
  sloPassed: boolean | null;
  verdict: StepJudgement['verdict'];
  valid: boolean;
  saturated: boolean;
  reasons: string[];
  k6ExitCode: number;
}

export interface CurvePoint {
  /** open model: the offered rate */
  offeredRps?: number;
  /** closed model (LOAD_MODEL=closed): the concurrency */
  concurrency?: number;
  achievedRps: number;
  verdict: StepJudgement['verdict'];
  /** p50/p95/p99 per latency key */
  latency: Record<string, { p50Ms: number; p95Ms: number; p99Ms: number }>;
}

export interface CapacityReport {
  schemaVersion: typeof CAPACITY_SCHEMA_VERSION;
  tool: 'genload';
  kind: 'capacity';
  runId: string;
  /** the workload the steps sent (scenario name given to make capacity) */
  scenario: string;
  /** open: the search varied an arrival rate (rps); closed (LOAD_MODEL=closed): a concurrency, and every *Rps level field holds concurrent requests (absent in files before it: open) */
  loadModel?: 'open' | 'closed';
  target: { url: string; api: string; managed: boolean };
  /** bounds: the SLO's bounds in words for the classes sent (absent in files before it) */
  slo: { name: string; path: string | null; bounds?: string };
  settings: Record<string, unknown>;
  environment: unknown;
  startedAt: string;
  endedAt: string;
  status: CapacityStatus;
  message: string;
  exitCode: number;
  result: SearchResult | null;
  steps: StepRow[];
  /** wall time of the whole search (probe and steps, k6 start-ups and workload builds), seconds (absent in files before it) */
  wallSeconds?: number;
  /** number of k6 steps run, the throughput probe included (absent in files before it) */
  stepCount?: number;
  /** what the throughput probe measured (open model; absent when none ran) */
  probe?: { concurrency: number; ceilingRps: number | null } | null;
  /** latency vs throughput, ordered by offered rate (repeats kept) */
  curve: CurvePoint[];
  plan: ReplicaPlan | null;
}

export function rowOf(
  step: number,
  purpose: StepPurpose,
  dir: string,
  startedAt: Date,
  wallSeconds: number,
  m: StepMeasurement,
  j: StepJudgement,
  k6ExitCode: number,
): StepRow {
  return {
    step,
    purpose,
    dir,
    startedAt: startedAt.toISOString(),
    wallSeconds: Math.round(wallSeconds * 10) / 10,
    ...(m.concurrency === undefined ? { offeredRps: m.offeredRps } : { concurrency: m.concurrency }),
    measureSeconds: m.measureSeconds,
    achievedRps: Math.round(m.achievedRps * 1000) / 1000,
    requests: m.requests,
    errorRate: m.errorRate,
    droppedIterations: m.droppedIterations,
    startLagP95Ms: m.startLagP95Ms,
    latency: m.latency,
    halvesP50Ms: m.halvesP50Ms,
    sloPassed: m.sloPassed,
    verdict: j.verdict,
    valid: j.verdict !== 'invalid' && !j.reasons.some((r) => r.startsWith('also invalid')),
    saturated: j.saturated,
    reasons: j.reasons,
    k6ExitCode,
  };
}

/** The curve of the searched levels (the throughput probe, a closed-model step in an open search, is not on it). */
export function curveOf(rows: readonly StepRow[]): CurvePoint[] {
  const levelOf = (r: StepRow): number => r.offeredRps ?? r.concurrency ?? 0;
  return rows
    .filter((r) => r.purpose !== 'throughput-probe')
    .sort((a, b) => levelOf(a) - levelOf(b) || a.step - b.step)
    .map((r) => ({
      ...(r.concurrency !== undefined ? { concurrency: r.concurrency } : { offeredRps: levelOf(r) }),
      achievedRps: r.achievedRps,
      verdict: r.verdict,
      latency: Object.fromEntries(
        Object.entries(r.latency).map(([k, l]) => [k, { p50Ms: l.p50Ms, p95Ms: l.p95Ms, p99Ms: l.p99Ms }]),
      ),
    }));
}

/** Output units per request measured at a rate (averaged over its runs), for the plan. */
export function unitsPerRequestAt(
  measurements: readonly StepMeasurement[],
  rateRps: number,
): { outputTokensPerRequest: number; imagesPerRequest: number } {
  const at = measurements.filter((m) => m.offeredRps === rateRps);
  const requests = at.reduce((a, m) => a + m.requests, 0);
  if (requests === 0) return { outputTokensPerRequest: 0, imagesPerRequest: 0 };
  return {
    outputTokensPerRequest: at.reduce((a, m) => a + m.outputTokens, 0) / requests,
    imagesPerRequest: at.reduce((a, m) => a + m.images, 0) / requests,
  };
}
