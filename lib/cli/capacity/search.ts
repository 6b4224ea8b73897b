// The capacity search loop: ask the stepper for a rate, run the step, judge
// it, print a progress line, persist what exists, repeat. Step execution and
// persistence are injected, so the loop (exit codes, target down, time
// budget) is tested with a fake step runner and no k6.

import { ExitCode } from '../../shared/exit-codes.ts';
import { generatorBoundAt } from './generator-bound.ts';
import { generatorBoundReason, judgeStep, type AcceptanceCriteria } from './acceptance.ts';
import type { StepMeasurement } from '../../shared/capacity/measurement.ts';
import { rowOf, type CapacityStatus, type StepRow } from './report.ts';
import { next, summarize, type SearchResult, type StepOutcome, type StepperConfig } from './stepper.ts';
import { progressLine, stepsLeftEstimate } from './progress.ts';
import type { StepRun, StepSpec } from './step.ts';

export interface SearchDeps {
  runStep(spec: StepSpec, purpose: string): Promise<StepRun>;
  /** called after every step with everything so far (the caller writes capacity.json) */
  persist(state: SearchState): void;
  log(line: string): void;
  nowMs(): number;
}

export interface SearchOptions {
  stepper: StepperConfig;
  acceptance: AcceptanceCriteria;
  /** the search stops (incomplete) rather than start a step that would end after this, ms on deps.nowMs()'s clock */
  deadlineMs: number;
  /** VU cap from the config; raised for fast rates */
  maxVus: number;
  /** warm-up + measurement seconds of one step, for the first time estimate */
  stepSeconds: number;
  /** latency keys the SLO bounds ("image.e2eMs"), shown first in progress lines */
  headlineKeys?: readonly string[];
}

export interface SearchState {
  status: CapacityStatus | 'running';
  message: string;
  exitCode: number;
  result: SearchResult | null;
  rows: StepRow[];
  measurements: StepMeasurement[];
}

/** VUs for a step: rate × observed p99 latency with margin (1 s before anything is known). */
export function vusFor(
  rateRps: number,
  measurements: readonly StepMeasurement[],
  maxVusKnob: number,
): { vus: number; maxVus: number } {
  const below = measurements
    .filter((m) => m.offeredRps <= rateRps && m.requests > 0)
    .sort((a, b) => b.offeredRps - a.offeredRps)[0];
  const p99S = below === undefined ? 1 : Math.max(0.05, ...Object.values(below.latency).map((l) => l.p99Ms / 1000));
  const maxVus = Math.max(maxVusKnob, Math.min(400, Math.ceil(rateRps * Math.max(1, 4 * p99S))));
  const vus = Math.min(maxVus, Math.ceil(rateRps * p99S * 1.5) + 2);
  return { vus, maxVus };
}

const EXIT_OF: Record<SearchResult['status'], (r: SearchResult) => number> = {
  found: () => ExitCode.Passed,
  'above-max': () => ExitCode.Passed,
  none: () => ExitCode.NoSustainableRate,
  incomplete: (r) => (r.sustainableRps === null ? ExitCode.NoSustainableRate : ExitCode.Passed),
};

export async function searchCapacity(opts: SearchOptions, deps: SearchDeps): Promise<SearchState> {
  const history: StepOutcome[] = [];
  const state: SearchState = {
    status: 'running',
    message: '',
    exitCode: ExitCode.Passed,
    result: null,
    rows: [],
    measurements: [],
  };
  const finish = (
    status: CapacityStatus,
    message: string,
    exitCode: number,
    result: SearchResult | null,
  ): SearchState => {
    Object.assign(state, { status, message, exitCode, result });
    deps.persist(state);
    return state;
  };
  const startedMs = deps.nowMs();

  for (let i = 0; i < opts.stepper.maxSteps + 1; i++) {
    const n = next(history, opts.stepper);
    if (n.done) return finish(n.result.status, n.result.message, EXIT_OF[n.result.status](n.result), n.result);
    const meanStepMs =
      state.rows.length === 0 ? opts.stepSeconds * 1000 + 1000 : (deps.nowMs() - startedMs) / state.rows.length;
    if (deps.nowMs() + meanStepMs > opts.deadlineMs) {
      const r = history.length === 0 ? null : summarize(history, opts.stepper, 'incomplete');
      const message = `time budget spent after ${history.length} steps; ${r?.message ?? 'nothing measured'}`;
      return finish('incomplete', message, r === null ? ExitCode.NoSustainableRate : EXIT_OF.incomplete(r), r);
    }

    // closed model: the level is the VU count itself
    const vus =
      opts.stepper.wholeNumbers === true
        ? { vus: n.rateRps, maxVus: Math.max(n.rateRps, opts.maxVus) }
        : vusFor(n.rateRps, state.measurements, opts.maxVus);
    const spec: StepSpec = { index: history.length + 1, rateRps: n.rateRps, ...vus };
    const run = await deps.runStep(spec, n.purpose);
    if (run.stopped !== null || run.measurement === null) {
      const r = history.length === 0 ? null : summarize(history, opts.stepper, 'incomplete');
      const kept = r === null ? 'nothing measured' : `kept ${history.length} measured steps: ${r.message}`;
      if (run.stopped?.kind === 'target-down')
        return finish(
          'target-down',
          `target went down during step ${spec.index} (${run.stopped.reason}); ${kept}`,
          ExitCode.TargetUnreachable,
          r,
        );
      if (run.stopped?.kind === 'interrupted')
        return finish('interrupted', `interrupted during step ${spec.index}; ${kept}`, ExitCode.Interrupted, r);
      return finish(
        'k6-failed',
        `k6 exited ${run.k6ExitCode} without a step result in step ${spec.index} (see ${run.dir}/k6.log); ${kept}`,
        ExitCode.K6Unavailable,
        r,
      );
    }
    const m = run.measurement;
    const bound = generatorBoundReason(run.generator);
    if (bound !== undefined) return generatorBoundAt(spec, n.purpose, run, bound, history, opts.stepper, state, finish);
    const j = judgeStep(m, opts.acceptance);
    history.push({
      rateRps: n.rateRps,
      verdict: j.verdict,
      achievedRps: m.achievedRps,
      saturated: j.saturated,
      decisive: j.decisive,
    });
    state.measurements.push(m);
    state.rows.push(rowOf(spec.index, n.purpose, run.dir, run.startedAt, run.wallSeconds, m, j, run.k6ExitCode));
    const elapsedMs = deps.nowMs() - startedMs;
    const leftMs = Math.min(
      opts.deadlineMs - deps.nowMs(),
      stepsLeftEstimate(history, opts.stepper) * (elapsedMs / state.rows.length),
    );
    deps.log(progressLine(state.rows[state.rows.length - 1]!, history, opts.stepper, leftMs, opts.headlineKeys));
    deps.persist(state);
  }
  const r = summarize(history, opts.stepper, 'incomplete');
  return finish('incomplete', r.message, EXIT_OF.incomplete(r), r);
}
