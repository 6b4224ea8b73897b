// Maps how a run ended to genload's exit code and a one-line verdict. Pure.
// Order of precedence: interrupted, k6 failures, SLO breach, invalid run, pass.
// An SLO breach stays a failure even when the run was also invalid (a breach
// under less load than planned is still a breach); a pass is only a pass when
// the load generator delivered the offered load.

import { ExitCode, K6ExitCode, type ExitCodeValue } from '../../shared/exit-codes.ts';

export interface RunEnd {
  k6ExitCode: number;
  interrupted: boolean;
  /** from summary.json; undefined when k6 wrote none */
  validity?: { valid: boolean; reasons: readonly string[] };
}

export interface Outcome {
  exitCode: ExitCodeValue;
  verdict: 'passed' | 'slo-breached' | 'invalid' | 'interrupted' | 'k6-failed';
  message: string;
}

export function outcomeOf(end: RunEnd): Outcome {
  const invalid = end.validity !== undefined && !end.validity.valid;
  const reasons = end.validity?.reasons.join('; ') ?? '';
  if (end.interrupted || end.k6ExitCode === K6ExitCode.ExternalAbort) {
    return { exitCode: ExitCode.Interrupted, verdict: 'interrupted', message: 'run interrupted; partial results kept' };
  }
  if (end.k6ExitCode === K6ExitCode.ThresholdsFailed) {
    return {
      exitCode: ExitCode.SloBreached,
      verdict: 'slo-breached',
      message: `SLO thresholds breached${invalid ? ` (the run was also invalid: ${reasons})` : ''}`,
    };
  }
  if (end.k6ExitCode !== 0) {
    return { exitCode: ExitCode.K6Unavailable, verdict: 'k6-failed', message: `k6 failed with exit code ${end.k6ExitCode}; see k6.log in the run folder` };
  }
  if (end.validity === undefined) {
    return { exitCode: ExitCode.K6Unavailable, verdict: 'k6-failed', message: 'k6 exited 0 but wrote no summary.json; see k6.log in the run folder' };
  }
  if (invalid) {
    return { exitCode: ExitCode.RunInvalid, verdict: 'invalid', message: `run invalid: the load generator did not deliver the offered load: ${reasons}` };
  }
  return { exitCode: ExitCode.Passed, verdict: 'passed', message: 'passed: every SLO threshold held' };
}
