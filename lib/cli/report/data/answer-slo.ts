// The answer's words about the SLO and the advice it gives: which profile
// judged the run with its bounds ("the SLO interactive-chat (TTFT p95 <
// 500 ms, e2e p95 < 8 s)", from the verdict records in summary.json), and the
// knob that lets a search that never broke go further. Pure.

import type { RunSummary } from '../../run-folder/run-record.ts';
import type { VerdictRecord } from '../../../shared/slo/record.ts';
import { sloWords } from '../../../shared/slo/words.ts';
import type { StageLoad } from './steps.ts';

/** The verdict records of a summary (older summaries have none). */
export function summaryRecords(summary: RunSummary | undefined): VerdictRecord[] {
  const verdicts = (summary?.slo?.verdicts ?? []) as ReadonlyArray<{ record?: VerdictRecord }>;
  return verdicts.flatMap((v) => (v.record === undefined ? [] : [v.record]));
}

/** " interactive-chat (TTFT p95 < 500 ms, e2e p95 < 8 s)", to follow "the SLO"; '' when the summary names none. */
export function sloNameWords(summary: RunSummary | undefined): string {
  const name = summary?.slo?.name;
  return name === undefined ? '' : ` ${sloWords(name, summaryRecords(summary))}`;
}

/**
 * The knob that lets a search that never broke go further: a rate ramp
 * (ramp, breakpoint) climbs to MAX_RATE; closed-model concurrency steps run
 * the CONCURRENCY levels, by default 1, 2, 4, ... up to MAX_VUS.
 */
export function raiseAdvice(unit: StageLoad['unit'] | undefined): string {
  return unit === 'VUs' ? 'raise MAX_VUS, or list higher CONCURRENCY levels' : 'raise MAX_RATE';
}
