// A run is a list of phases; each phase becomes one k6 scenario (one executor,
// one stage tag). Load shapes are built as phases (shapes.ts) and turned into
// k6 options (options.ts). Pure data, unit-tested in Node.

export type Executor =
  | { kind: 'constant-arrival-rate'; rateRps: number; durationS: number }
  | { kind: 'ramping-arrival-rate'; startRps: number; targetRps: number; durationS: number }
  | { kind: 'constant-vus'; vus: number; durationS: number }
  | { kind: 'shared-iterations'; vus: number; iterations: number; maxDurationS: number };

export interface Phase {
  /** k6 scenario name, unique in the run */
  name: string;
  /** stage tag of every sample (unless windowS or compare split it further) */
  stage: string;
  startS: number;
  executor: Executor;
  /** samples of this phase are judged by the SLO */
  judged: boolean;
  /** probability that an iteration sends LLM (rather than image) traffic */
  llmShare: number;
  /** request: one synchronous request; job: submit an async job and poll it */
  mode: 'request' | 'job';
  /** breakpoint: the stage becomes `${stage}-NN`, one per window of this many seconds */
  windowS?: number;
  /** compare-plan: each prompt is sent warmup + measured times in a row; the first warmup are stage warmup */
  perPrompt?: { warmup: number; measured: number };
  /** trace replay: iteration k waits for request k's own arrival time (workload.jsonl atMs) */
  trace?: true;
}

export interface Plan {
  phases: Phase[];
  /** SLO breaches stop the test (ramp, breakpoint) */
  abortable: boolean;
}

/** Seconds a phase lasts (shared-iterations: its cap). */
export function phaseDurationS(p: Phase): number {
  return p.executor.kind === 'shared-iterations' ? p.executor.maxDurationS : p.executor.durationS;
}

/** Requests the phase is planned to offer (open-model executors only). */
export function offeredRequests(p: Phase): number | undefined {
  const e = p.executor;
  if (e.kind === 'constant-arrival-rate') return e.rateRps * e.durationS;
  if (e.kind === 'ramping-arrival-rate') return ((e.startRps + e.targetRps) / 2) * e.durationS;
  return undefined;
}

export function twoDigits(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Every stage name the phase can tag samples with. */
export function stagesOf(p: Phase): string[] {
  if (p.perPrompt !== undefined) return p.perPrompt.warmup > 0 ? ['warmup', p.stage] : [p.stage];
  if (p.windowS !== undefined) {
    const n = Math.ceil(phaseDurationS(p) / p.windowS);
    return Array.from({ length: n }, (_, i) => `${p.stage}-${twoDigits(i + 1)}`);
  }
  return [p.stage];
}

/** The stage of one iteration: by window of elapsed time, by position in a prompt's repeats, or fixed. */
export function stageFor(p: Phase, iteration: number, elapsedS: number): string {
  if (p.perPrompt !== undefined)
    return iteration % (p.perPrompt.warmup + p.perPrompt.measured) < p.perPrompt.warmup ? 'warmup' : p.stage;
  if (p.windowS !== undefined) {
    const last = Math.ceil(phaseDurationS(p) / p.windowS);
    return `${p.stage}-${twoDigits(Math.min(last, Math.max(1, Math.floor(elapsedS / p.windowS) + 1)))}`;
  }
  return p.stage;
}

export function allStages(plan: Plan): string[] {
  return [...new Set(plan.phases.flatMap(stagesOf))];
}

export function judgedStages(plan: Plan): string[] {
  return [...new Set(plan.phases.filter((p) => p.judged).flatMap((p) => stagesOf(p).filter((s) => s !== 'warmup')))];
}
