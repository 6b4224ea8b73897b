// The k6 exit code a distributed run stands for, so the single-run outcome
// mapping (lib/cli/run/outcome.ts) applies unchanged. An instance's own 99 is
// ignored: it judged only its share of the samples; the merged verdict decides.
// Pure.

import { K6ExitCode } from '../../shared/exit-codes.ts';
import type { Summary } from '../../shared/summary.ts';

export function mergedK6ExitCode(instanceExitCodes: readonly number[], merged: Summary | undefined): number {
  // a failure other than thresholds (script error, abort, interrupt) wins, as in a single k6
  const failed = instanceExitCodes.find((c) => c !== 0 && c !== K6ExitCode.ThresholdsFailed);
  if (failed !== undefined) return failed;
  if (merged === undefined) return instanceExitCodes.find((c) => c !== 0) ?? 0;
  return merged.slo.passed ? 0 : K6ExitCode.ThresholdsFailed;
}
