// The progress line printed after each step (stderr), e.g.
//   step 4 bisect 30 rps: achieved 19.8 rps, image.e2eMs p95 1843 ms, errors 0.0 % -> fail (saturated: ...) | interval [16, 32] | 6 s window (p95 ±0.4 % ...) | ~1m10s left (3 steps)
// and the throughput probe's line:
//   step 1 throughput-probe 128 concurrent requests: achieved 39.8 rps, image.e2eMs p95 3215 ms -> ceiling 39.8 rps
// Pure: returns strings.

import type { StepRow } from './report.ts';
import type { StepOutcome, StepperConfig } from './stepper.ts';

/** Steps still to come, roughly: bisection halvings to reach the tolerance plus confirmations. */
export function stepsLeftEstimate(history: readonly StepOutcome[], cfg: StepperConfig): number {
  const passes = history.filter((h) => h.verdict === 'pass').map((h) => h.level);
  const fails = history.filter((h) => h.verdict !== 'pass').map((h) => h.level);
  const confirm = cfg.confirmRepeats + 1;
  let estimate: number;
  if (fails.length === 0 || passes.length === 0) estimate = 2 + Math.ceil(Math.log2(1 / cfg.toleranceRatio)) + confirm;
  else {
    const low = Math.max(...passes.filter((p) => p < Math.min(...fails)), 0);
    const high = Math.min(...fails);
    const width = low > 0 ? (high - low) / low : 1;
    estimate = Math.max(0, Math.ceil(Math.log2(Math.max(1, width / cfg.toleranceRatio)))) + confirm;
  }
  return Math.max(0, Math.min(cfg.maxSteps - history.length, estimate));
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** The latency shown: the first SLO-bounded key measured, else the first in a fixed order of interest. */
function headlineLatency(row: StepRow, preferred: readonly string[]): string {
  const order = [...preferred, 'llm.ttftMs', 'image.e2eMs', 'llm.e2eMs', 'llm.itlMs', 'image.stepMs'];
  const key = order.find((k) => row.latency[k] !== undefined) ?? Object.keys(row.latency)[0];
  if (key === undefined) return 'no latency measured';
  return `${key} p95 ${Math.round(row.latency[key]!.p95Ms)} ms`;
}

/** `preferred`: latency keys ("<class>.<metric>") the SLO bounds, shown first. */
export function progressLine(
  row: StepRow,
  history: readonly StepOutcome[],
  cfg: StepperConfig,
  leftMs: number,
  preferred: readonly string[] = [],
  window = '',
): string {
  const passes = history.filter((h) => h.verdict === 'pass').map((h) => h.level);
  const fails = history.filter((h) => h.verdict !== 'pass').map((h) => h.level);
  const high = fails.length > 0 ? Math.min(...fails) : null;
  const lowCandidates = passes.filter((p) => high === null || p < high);
  const low = lowCandidates.length > 0 ? Math.max(...lowCandidates) : null;
  const why = row.reasons.length > 0 ? ` (${row.reasons[0]!.slice(0, 120)})` : '';
  return [
    `step ${row.step} ${row.purpose} ${levelText(row)}: achieved ${row.achievedRps.toFixed(1)} rps, ${headlineLatency(row, preferred)}, errors ${(row.errorRate * 100).toFixed(1)} % -> ${row.verdict}${why}`,
    `interval [${low ?? '-'}, ${high ?? '-'}]`,
    ...(window === '' ? [] : [`${row.measureSeconds} s window (${window})`]),
    `~${formatDuration(leftMs)} left (${stepsLeftEstimate(history, cfg)} steps)`,
  ].join(' | ');
}

function levelText(row: StepRow): string {
  return row.concurrency !== undefined ? `${row.concurrency} concurrent requests` : `${row.offeredRps} rps`;
}

/** The throughput probe's line: what it achieved, and the ceiling the search starts from. */
export function probeLine(row: StepRow, ceilingRps: number | null, preferred: readonly string[] = []): string {
  const what =
    ceilingRps === null
      ? `no usable ceiling${row.reasons.length > 0 ? ` (${row.reasons[0]!.slice(0, 120)})` : ''}: bracketing from the start rate`
      : `ceiling ${Number(ceilingRps.toPrecision(3))} rps`;
  return `step ${row.step} ${row.purpose} ${levelText(row)}: achieved ${row.achievedRps.toFixed(1)} rps, ${headlineLatency(row, preferred)}, errors ${(row.errorRate * 100).toFixed(1)} % -> ${what}`;
}
