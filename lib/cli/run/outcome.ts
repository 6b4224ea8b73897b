// Maps how a run ended to genload's exit code and a one-line verdict. Pure.
// Order of precedence: interrupted, k6 failures, SLO breach, invalid run, pass.
// An SLO breach stays a failure even when the run was also invalid (a breach
// under less load than planned is still a breach); a pass is only a pass when
// the load generator delivered the offered load.

import { ExitCode, K6_CONFIG_ERROR_PREFIX, K6ExitCode, type ExitCodeValue } from '../../shared/exit-codes.ts';

export interface RunEnd {
  k6ExitCode: number;
  interrupted: boolean;
  /** from summary.json; undefined when k6 wrote none */
  validity?: { valid: boolean; reasons: readonly string[]; targetLimits?: readonly { message: string }[] };
  /** the load generator's per-stage verdict (lib/shared/generator/judge.ts), when the CLI measured it */
  generator?: { firstBoundStage?: string; reasons: readonly string[]; targetBreach: boolean };
  /** problems the scenario refused the config with in k6's init context (configProblemsIn of k6's log) */
  configProblems?: readonly string[];
}

export interface Outcome {
  exitCode: ExitCodeValue;
  verdict: 'passed' | 'slo-breached' | 'invalid' | 'interrupted' | 'k6-failed' | 'config-invalid';
  message: string;
}

export function outcomeOf(end: RunEnd): Outcome {
  const invalid = end.validity !== undefined && !end.validity.valid;
  const reasons = end.validity?.reasons.join('; ') ?? '';
  if (end.interrupted || end.k6ExitCode === K6ExitCode.ExternalAbort) {
    return { exitCode: ExitCode.Interrupted, verdict: 'interrupted', message: 'run interrupted; partial results kept' };
  }
  const bound = generatorBoundOutcome(end);
  if (bound !== undefined) return bound;
  if (end.k6ExitCode === K6ExitCode.ThresholdsFailed) {
    return {
      exitCode: ExitCode.SloBreached,
      verdict: 'slo-breached',
      message: `SLO thresholds breached${invalid ? ` (the run was also invalid: ${reasons})` : ''}`,
    };
  }
  if (
    end.k6ExitCode === K6ExitCode.ScriptException &&
    end.configProblems !== undefined &&
    end.configProblems.length > 0
  ) {
    return {
      exitCode: ExitCode.ConfigInvalid,
      verdict: 'config-invalid',
      message: `invalid configuration, no load was sent: ${end.configProblems.join('; ')}`,
    };
  }
  if (end.k6ExitCode !== 0) {
    return {
      exitCode: ExitCode.K6Unavailable,
      verdict: 'k6-failed',
      message: `k6 failed with exit code ${end.k6ExitCode}; see k6.log in the run folder`,
    };
  }
  if (end.validity === undefined) {
    return {
      exitCode: ExitCode.K6Unavailable,
      verdict: 'k6-failed',
      message: 'k6 exited 0 but wrote no summary.json; see k6.log in the run folder',
    };
  }
  const limits = end.validity.targetLimits ?? [];
  if (limits.length > 0) {
    // k6's thresholds held, but the target did not take the offered load inside MAX_VUS: a failed verdict of those stages
    return {
      exitCode: ExitCode.SloBreached,
      verdict: 'slo-breached',
      message: `the target did not take the offered load: ${limits.map((l) => l.message).join('; ')}${invalid ? ` (the run was also invalid: ${reasons})` : ''}`,
    };
  }
  if (invalid) {
    return {
      exitCode: ExitCode.RunInvalid,
      verdict: 'invalid',
      message: `run invalid: the load generator did not deliver the offered load: ${reasons}`,
    };
  }
  return { exitCode: ExitCode.Passed, verdict: 'passed', message: 'passed: every SLO threshold held' };
}

/**
 * A run whose generator ran out of CPU in a judged stage, with no breach of
 * the target before it: invalid (exit 5) whatever k6's thresholds said, since
 * a breach or drop in a generator-bound stage is k6's, not the target's. A
 * breach before that stage stays the target's (the SLO branch reports it).
 */
function generatorBoundOutcome(end: RunEnd): Outcome | undefined {
  const g = end.generator;
  if (g?.firstBoundStage === undefined || g.targetBreach) return undefined;
  if (end.k6ExitCode !== 0 && end.k6ExitCode !== K6ExitCode.ThresholdsFailed) return undefined;
  return {
    exitCode: ExitCode.RunInvalid,
    verdict: 'invalid',
    message: `run invalid: the load generator was the limit, not the target: ${g.reasons.join('; ')}`,
  };
}

/**
 * The problems a scenario refused its config with (an init-context exception
 * starting with K6_CONFIG_ERROR_PREFIX), from k6's log text; [] when there is
 * none. k6 logs the exception as logfmt: msg="Error: <prefix><problems>\n\tat ...".
 */
export function configProblemsIn(k6Log: string): string[] {
  const at = k6Log.indexOf(K6_CONFIG_ERROR_PREFIX);
  if (at < 0) return [];
  const rest = k6Log.slice(at + K6_CONFIG_ERROR_PREFIX.length);
  // the message ends at the first escaped newline or the closing quote of msg="..."
  const m = /^((?:[^"\\\n]|\\")*)/.exec(rest);
  const text = (m?.[1] ?? '').replace(/\\"/g, '"');
  return text
    .split('; ')
    .map((p) => p.trim())
    .filter((p) => p !== '');
}
