// The capacity search loop: (open model) one closed-model throughput probe
// that measures the target's ceiling, then ask the stepper for a level, size
// the step's window (step-window.ts), run the step, judge it, print a progress
// line, persist what exists, repeat. Step execution and persistence are
// injected, so the loop (exit codes, target down, time budget) is tested with
// a fake step runner and no k6.

import { ExitCode } from '../../shared/exit-codes.ts';
import { generatorBoundAt } from './generator-bound.ts';
import { generatorLimitReason, judgeStep, type AcceptanceCriteria } from './acceptance.ts';
import type { StepMeasurement } from '../../shared/capacity/measurement.ts';
import { rowOf, type CapacityStatus, type StepRow } from './report.ts';
import {
  next,
  resultLevels,
  summarize,
  type SearchPrior,
  type SearchResult,
  type StepOutcome,
  type StepperConfig,
  type StepPurpose,
} from './stepper.ts';
import { probeLine, progressLine, stepsLeftEstimate } from './progress.ts';
import type { StepLevel, StepRun, StepSpec } from './step.ts';
import { windowFor } from './step-window.ts';

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
  /** a step's warm-up, and its measurement window: maxSeconds (DURATION) at most, shorter where latency is stable */
  window: { warmupSeconds: number; minSeconds: number; maxSeconds: number };
  /** open model: the closed-model step that measures the throughput ceiling first; null: none (bracket from the start rate) */
  probe: { concurrency: number; warmupSeconds: number; durationSeconds: number } | null;
  /** latency keys the SLO bounds ("image.e2eMs"), shown first in progress lines */
  headlineKeys?: readonly string[];
}

export interface SearchState {
  status: CapacityStatus | 'running';
  message: string;
  exitCode: number;
  result: SearchResult | null;
  rows: StepRow[];
  /** the level steps' measurements, in order (the throughput probe's is kept apart) */
  measurements: StepMeasurement[];
  /** what the throughput probe measured, when one ran */
  probe: { concurrency: number; ceilingRps: number | null } | null;
  /** wall time of the search so far (probe and steps, with k6 start-up and workload builds), seconds */
  wallSeconds: number;
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
  incomplete: (r) => (resultLevels(r).sustainable === null ? ExitCode.NoSustainableRate : ExitCode.Passed),
};

export async function searchCapacity(opts: SearchOptions, deps: SearchDeps): Promise<SearchState> {
  const history: StepOutcome[] = [];
  const verdicts: StepOutcome['verdict'][] = [];
  const state: SearchState = {
    status: 'running',
    message: '',
    exitCode: ExitCode.Passed,
    result: null,
    rows: [],
    measurements: [],
    probe: null,
    wallSeconds: 0,
  };
  const startedMs = deps.nowMs();
  const persist = (): void => {
    state.wallSeconds = Math.round((deps.nowMs() - startedMs) / 100) / 10;
    deps.persist(state);
  };
  const finish = (
    status: CapacityStatus,
    message: string,
    exitCode: number,
    result: SearchResult | null,
  ): SearchState => {
    Object.assign(state, { status, message, exitCode, result });
    persist();
    return state;
  };
  /** a step that ended without a measurement: why, with what was kept */
  const stoppedEarly = (run: StepRun, index: number): SearchState => {
    const r = history.length === 0 ? null : summarize(history, opts.stepper, 'incomplete');
    const kept = r === null ? 'nothing measured' : `kept ${history.length} measured steps: ${r.message}`;
    if (run.stopped?.kind === 'target-down')
      return finish(
        'target-down',
        `target went down during step ${index} (${run.stopped.reason}); ${kept}`,
        ExitCode.TargetUnreachable,
        r,
      );
    if (run.stopped?.kind === 'interrupted')
      return finish('interrupted', `interrupted during step ${index}; ${kept}`, ExitCode.Interrupted, r);
    return finish(
      'k6-failed',
      `k6 exited ${run.k6ExitCode} without a step result in step ${index} (see ${run.dir}/k6.log); ${kept}`,
      ExitCode.K6Unavailable,
      r,
    );
  };
  const closed = opts.stepper.levels.kind === 'concurrency';
  const prior: SearchPrior = { ceilingRps: null };

  if (opts.probe !== null && !closed) {
    const p = opts.probe;
    const spec: StepSpec = {
      index: 1,
      level: { concurrency: p.concurrency },
      vus: p.concurrency,
      maxVus: p.concurrency,
      warmupSeconds: p.warmupSeconds,
      durationSeconds: p.durationSeconds,
    };
    const run = await deps.runStep(spec, 'throughput-probe');
    if (run.stopped !== null || run.measurement === null) return stoppedEarly(run, spec.index);
    const m = run.measurement;
    // a probe during which k6 ran out of CPU measured the generator's ceiling: not used (the steps then find
    // the generator-bound level themselves)
    const judged = judgeStep(m, opts.acceptance);
    const bound = generatorLimitReason(run.generator, m, judged);
    const j: typeof judged =
      bound === undefined ? judged : { ...judged, verdict: 'invalid', reasons: [bound, ...judged.reasons] };
    // The ceiling is the completions counted in the window; requests sent in the window may all still
    // be queued when the probe ends (128 in flight at 20 rps wait 6 s), so "too few requests measured"
    // does not disqualify it. Any other invalidity (a late generator) measured the generator, not the target.
    const completed = m.achievedRps * m.measureSeconds;
    const generatorInvalid =
      j.verdict === 'invalid' && j.reasons.some((r) => !r.startsWith('only ') && !r.startsWith('also: '));
    const usable = completed >= opts.acceptance.minRequests && !generatorInvalid;
    prior.ceilingRps = usable ? m.achievedRps : null;
    state.probe = { concurrency: p.concurrency, ceilingRps: prior.ceilingRps };
    state.rows.push(
      rowOf(spec.index, 'throughput-probe', run.dir, run.startedAt, run.wallSeconds, m, j, run.k6ExitCode),
    );
    deps.log(probeLine(state.rows[0]!, prior.ceilingRps, opts.headlineKeys));
    persist();
  }

  for (let i = 0; i < opts.stepper.maxSteps + 1; i++) {
    const n = next(history, opts.stepper, prior);
    if (n.done) return finish(n.result.status, n.result.message, EXIT_OF[n.result.status](n.result), n.result);
    const window = stepWindow(n.level, n.purpose, closed, opts, state.measurements, verdicts, prior);
    const stepMs = (opts.window.warmupSeconds + window.seconds) * 1000 + 1000;
    if (deps.nowMs() + stepMs > opts.deadlineMs) {
      const r = history.length === 0 ? null : summarize(history, opts.stepper, 'incomplete');
      const message = `time budget spent after ${history.length} steps; ${r?.message ?? 'nothing measured'}`;
      return finish('incomplete', message, r === null ? ExitCode.NoSustainableRate : EXIT_OF.incomplete(r), r);
    }

    // closed model: the level is the VU count itself
    const level: StepLevel = closed ? { concurrency: n.level } : { rateRps: n.level };
    const vus = closed
      ? { vus: n.level, maxVus: Math.max(n.level, opts.maxVus) }
      : vusFor(n.level, state.measurements, opts.maxVus);
    const spec: StepSpec = {
      index: state.rows.length + 1,
      level,
      ...vus,
      warmupSeconds: opts.window.warmupSeconds,
      durationSeconds: window.seconds,
    };
    const run = await deps.runStep(spec, n.purpose);
    if (run.stopped !== null || run.measurement === null) return stoppedEarly(run, spec.index);
    const m = run.measurement;
    const j = judgeStep(m, opts.acceptance);
    // k6 out of CPU, or a level it did not deliver while the target kept up: the generator's, neither pass
    // nor fail, and nothing above it can be judged
    const limit = generatorLimitReason(run.generator, m, j);
    if (limit !== undefined) return generatorBoundAt(spec, n.purpose, run, limit, history, opts.stepper, state, finish);
    history.push({
      level: n.level,
      verdict: j.verdict,
      achievedRps: m.achievedRps,
      saturated: j.saturated,
      decisive: j.decisive,
    });
    verdicts.push(j.verdict);
    state.measurements.push(m);
    state.rows.push(rowOf(spec.index, n.purpose, run.dir, run.startedAt, run.wallSeconds, m, j, run.k6ExitCode));
    const elapsedMs = deps.nowMs() - startedMs;
    const leftMs = Math.min(
      opts.deadlineMs - deps.nowMs(),
      stepsLeftEstimate(history, opts.stepper) * (elapsedMs / state.rows.length),
    );
    deps.log(
      progressLine(state.rows[state.rows.length - 1]!, history, opts.stepper, leftMs, opts.headlineKeys, window.why),
    );
    persist();
  }
  const r = summarize(history, opts.stepper, 'incomplete');
  return finish('incomplete', r.message, EXIT_OF.incomplete(r), r);
}

/**
 * The measurement window of the next step: full for confirmations (the reported
 * level must pass at full length), else sized from the latency variance at the
 * highest passing level at or below it (step-window.ts).
 */
function stepWindow(
  level: number,
  purpose: StepPurpose,
  closed: boolean,
  opts: SearchOptions,
  measurements: readonly StepMeasurement[],
  verdicts: readonly StepOutcome['verdict'][],
  prior: SearchPrior,
): { seconds: number; why: string } {
  const { minSeconds, maxSeconds } = opts.window;
  const tol = opts.stepper.toleranceRatio;
  if (purpose === 'confirm-pass' || purpose === 'confirm-fail')
    return { seconds: maxSeconds, why: 'full: a confirmation' };
  // closed model: every VU starts at once, so the first requests queue behind each other at the target;
  // a short window weighs that start-up burst (9 concurrent requests on the sim: p95 868 ms over 2.3 s,
  // 522 ms over the full 4 s), so closed-model steps always measure the full window
  if (closed) return { seconds: maxSeconds, why: 'full: a closed-model step' };
  const levelOf = (m: StepMeasurement): number => m.concurrency ?? m.offeredRps;
  // Next to the boundary a variance-sized window is no evidence: a queue that grows by a
  // tolerance's worth of the level shows only over a full window (a 2.5 s step 1.25 % over the
  // sim's capacity passed, its full-length repeat failed). So full length for a level that would
  // close the interval (within two tolerances above the highest pass) or that sits at or above
  // the measured ceiling.
  const highestPass = Math.max(0, ...measurements.filter((_, i) => verdicts[i] === 'pass').map(levelOf));
  if (highestPass > 0 && level > highestPass && level <= highestPass * (1 + 2 * tol))
    return { seconds: maxSeconds, why: 'full: it can close the interval' };
  if (!closed && prior.ceilingRps !== null && level >= prior.ceilingRps * (1 - tol))
    return { seconds: maxSeconds, why: 'full: at the measured ceiling' };
  const nearest =
    measurements
      .filter((m, i) => verdicts[i] === 'pass' && levelOf(m) <= level)
      .sort((a, b) => levelOf(b) - levelOf(a))[0] ?? null;
  // closed model: the throughput at a lower concurrency (no more than at this one) sets the request count
  const expectedRps = closed ? (nearest?.achievedRps ?? 0) : level;
  if (expectedRps <= 0) return { seconds: maxSeconds, why: 'full: no throughput measured yet' };
  return windowFor(expectedRps, nearest, { minSeconds, maxSeconds, toleranceRatio: opts.stepper.toleranceRatio });
}
