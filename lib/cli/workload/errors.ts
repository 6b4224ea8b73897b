// The one error class of workload building: every problem found in an input
// (a length knob, a dataset, a trace, a workload file), listed at once. It is a
// ConfigError, so the CLI exits with ExitCode.ConfigInvalid (nothing was sent).

import { ConfigError } from '../errors.ts';

/** Longest list of problems shown; the rest are summed up as "and N more". */
export const MAX_PROBLEMS = 20;

export class WorkloadInputError extends ConfigError {
  constructor(problems: readonly string[]) {
    super(capProblems(problems));
    this.name = 'WorkloadInputError';
  }
}

/** The first MAX_PROBLEMS problems, then one line counting the others. */
export function capProblems(problems: readonly string[]): string[] {
  if (problems.length <= MAX_PROBLEMS) return [...problems];
  return [...problems.slice(0, MAX_PROBLEMS), `and ${problems.length - MAX_PROBLEMS} more`];
}

/** Throws WorkloadInputError when there is any problem. */
export function throwIfProblems(problems: readonly string[]): void {
  if (problems.length > 0) throw new WorkloadInputError(problems);
}

/** A value as it appears in a message: strings quoted, the rest as JSON, long values cut. */
export function shown(value: unknown): string {
  const text = typeof value === 'string' ? `'${value}'` : value === undefined ? 'missing' : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
