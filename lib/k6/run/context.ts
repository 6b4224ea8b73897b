// Per-VU state of a run, built once in the init context: the plan's phases with
// their arrival schedules and workload blocks, the stage tags, and the Go
// client that sends request i of workload.jsonl (k6/x/genload). Pure (the clock
// and the client are passed in), so scenario wiring is testable in Node.

import type { TrafficClass } from '../../shared/metrics.ts';
import type { RunConfig } from '../../shared/run-config.ts';
import type { PerRequestLimits, Slo } from '../../shared/slo/schema.ts';
import type { Workload } from '../../shared/workload/defaults.ts';
import type { PhaseBlock } from '../../shared/plan/requests.ts';
import type { Phase, Plan } from '../../shared/plan/phase.ts';
import { stageInfos } from '../../shared/plan/stages.ts';
import { ArrivalSchedule, DEFAULT_WINDOW_ARRIVALS } from '../arrival/schedule.ts';
import { countedTrends } from '../metrics/counted.ts';
import type { WorkloadHeaderAsRead } from '../../shared/workload/contract.ts';

export interface Clock {
  sleepMs(ms: number): void;
  nowMs(): number;
}

/** What one request's send reports back: nothing on success, the failure otherwise (for logs). */
export interface SendFailure {
  class: TrafficClass;
  errorClass: string;
  error: string;
}

/** k6/x/genload's client (build/xk6-genload): sends request `index` of the workload, reads the answer, records its samples. */
export interface RequestClient {
  /** startLagMs: how late the request left its planned arrival, recorded under stage-only tags in the same call */
  send(index: number, stage: string, startLagMs?: number): SendFailure | undefined;
}

/** The opened workload.jsonl (k6/x/genload's store, read once per process). */
export interface WorkloadStore {
  readonly count: number;
  readonly header: WorkloadHeader;
  atMs(index: number): number | undefined;
  classOf(index: number): TrafficClass;
}

/** Line 1 of workload.jsonl as k6/x/genload hands it over (lib/shared/workload/contract.ts). */
export type WorkloadHeader = WorkloadHeaderAsRead;

export interface PhaseEntry {
  index: number;
  phase: Phase;
  schedule: ArrivalSchedule | undefined;
  block: PhaseBlock;
}

export interface StageSpan {
  stage: string;
  startS: number;
  endS: number;
}

export interface RunContext {
  config: RunConfig;
  workload: Workload;
  slo: Slo;
  perRequest: Partial<Record<TrafficClass, PerRequestLimits>>;
  phases: ReadonlyMap<string, PhaseEntry>;
  clock: Clock;
  store: WorkloadStore;
  /** Trends whose samples the SLO's count thresholds read (genload_samples) */
  counted: ReadonlySet<string>;
  /** when each stage runs (s from the test's start): the probe tags its lag with the stage it fell in */
  stageSpans: readonly StageSpan[];
  /** set once the client exists (init context, after the plan) */
  client?: RequestClient;
}

/** Problems of a workload file for this plan and API: [] when it fits. */
export function workloadProblems(header: WorkloadHeader, plan: Plan, api: string): string[] {
  const problems: string[] = [];
  if (header.api !== api)
    problems.push(`workload file: built for target.api '${header.api}', but this run's is '${api}'`);
  const names = new Set(header.phases.map((b) => b.name));
  const missing = plan.phases.filter((p) => !names.has(p.name)).map((p) => p.name);
  if (missing.length > 0)
    problems.push(
      `workload file: has no block for phase${missing.length === 1 ? '' : 's'} ${missing.join(', ')} (it lists ${[...names].join(', ') || 'none'})`,
    );
  for (const b of header.phases) {
    if (!(b.count >= 1) || !(b.from >= 0) || b.from + b.count > header.count)
      problems.push(
        `workload file: phase ${b.name}'s block ${b.from}+${b.count} lies outside its ${header.count} requests`,
      );
  }
  return problems;
}

export function buildRunContext(
  config: RunConfig,
  workload: Workload,
  plan: Plan,
  store: WorkloadStore,
  clock: Clock,
): RunContext {
  const slo = config.slo;
  const blocks = new Map(store.header.phases.map((b) => [b.name, b]));
  const phases = new Map<string, PhaseEntry>();
  plan.phases.forEach((phase, index) => {
    const block = blocks.get(phase.name);
    if (block === undefined) throw new Error(`workload file: has no block for phase ${phase.name}`);
    const e = phase.executor;
    const schedule =
      e.kind === 'constant-arrival-rate'
        ? new ArrivalSchedule({
            arrival: config.load.arrival,
            rateRps: e.rateRps,
            gammaShape: workload.gammaShape,
            seed: config.load.seed + index,
            windowArrivals: DEFAULT_WINDOW_ARRIVALS,
          })
        : undefined;
    phases.set(phase.name, { index, phase, schedule, block });
  });
  const perRequest: Partial<Record<TrafficClass, PerRequestLimits>> = {};
  if (slo.classes.llm?.perRequest !== undefined) perRequest.llm = slo.classes.llm.perRequest;
  if (slo.classes.image?.perRequest !== undefined) perRequest.image = slo.classes.image.perRequest;
  return {
    config,
    workload,
    slo,
    perRequest,
    phases,
    clock,
    store,
    counted: countedTrends(slo),
    stageSpans: stageInfos(plan).map((i) => ({ stage: i.stage, startS: i.startS, endS: i.startS + i.durationS })),
  };
}
