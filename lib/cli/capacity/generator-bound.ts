// The capacity search's end when k6 ran out of CPU: the step is recorded as
// invalid with the generator's reason, the search stops (a higher level would
// only measure k6 again), and the answer is a lower bound: the highest level
// that passed before it. capacity.json / capacity.md say "generator-bound at X
// (k6 used N % of its CPU): the answer is at least Y"; the exit code is 5
// (invalid), never a sustainable figure.

import { ExitCode } from '../../shared/exit-codes.ts';
import type { StepJudgement } from './acceptance.ts';
import { rowOf, type CapacityStatus } from './report.ts';
import type { SearchState } from './search.ts';
import type { StepRun, StepSpec } from './step.ts';
import { summarize, type SearchResult, type StepOutcome, type StepperConfig } from './stepper.ts';

/** Highest level whose every run passed, below the lowest level that failed; undefined when none. */
export function highestPassBefore(history: readonly StepOutcome[]): number | undefined {
  const failed = history.filter((h) => h.verdict === 'fail').map((h) => h.level);
  const lowFail = failed.length === 0 ? Infinity : Math.min(...failed);
  const passes = history
    .filter((h) => h.level < lowFail && history.every((o) => o.level !== h.level || o.verdict === 'pass'))
    .map((h) => h.level);
  return passes.length === 0 ? undefined : Math.max(...passes);
}

export function generatorBoundAt(
  spec: StepSpec,
  purpose: Parameters<typeof rowOf>[1],
  run: StepRun,
  reason: string,
  history: readonly StepOutcome[],
  stepper: StepperConfig,
  state: SearchState,
  finish: (status: CapacityStatus, message: string, exitCode: number, result: SearchResult | null) => SearchState,
): SearchState {
  const m = run.measurement!;
  const judgement: StepJudgement = { verdict: 'invalid', reasons: [reason], saturated: false, decisive: false };
  state.measurements.push(m);
  state.rows.push(rowOf(spec.index, purpose, run.dir, run.startedAt, run.wallSeconds, m, judgement, run.k6ExitCode));
  const unit = stepper.levels.kind === 'concurrency' ? 'concurrent requests' : 'requests/s';
  const at = 'rateRps' in spec.level ? spec.level.rateRps : spec.level.concurrency;
  const used = Math.round((run.generator?.k6CpuShare ?? 0) * 100);
  const waited = Math.round((run.generator?.waitShare ?? 0) * 100);
  const highest = highestPassBefore(history);
  const message = `generator-bound at ${at} ${unit} (k6 used ${used} % of its CPU${waited >= 5 ? ` and waited for it another ${waited} %` : ''}): ${
    highest === undefined
      ? 'no level passed before it, so the search says nothing about the target'
      : `the answer is at least ${highest} ${unit}`
  }; add INSTANCES or cores`;
  const result = history.length === 0 ? null : summarize(history, stepper, 'incomplete');
  return finish('generator-bound', message, ExitCode.RunInvalid, result);
}
