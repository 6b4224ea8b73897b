// What capacity.json and capacity.md say about the SLO: the profile with its
// bounds ("interactive-chat (TTFT p95 < 500 ms, e2e p95 < 8 s)"), whether the
// limit found was a latency bound or throughput saturation, and the knob that
// lets a search that never failed go higher. Pure.

import { classesSent } from '../../shared/scenarios.ts';
import { sloRecords, boundsWords } from '../../shared/slo/words.ts';
import type { RunPlan } from '../run-plan/plan.ts';
import { resultLevels } from './stepper.ts';
import type { CapacityReport } from './report.ts';

/** capacity.json's slo: the profile, its file, and its bounds in words for the classes the steps send. */
export function capacitySlo(plan: RunPlan, path: string | null): CapacityReport['slo'] {
  const classes = classesSent(plan.scenario, plan.target.api, plan.workload);
  return { name: plan.slo.profile.name, path, bounds: boundsWords(sloRecords(plan.slo.profile, classes)) };
}

/** "the SLO interactive-chat (TTFT p95 < 500 ms, e2e p95 < 8 s)"; older files have no bounds. */
export function capacitySloWords(r: CapacityReport): string {
  return `the SLO ${r.slo.name}${r.slo.bounds === undefined || r.slo.bounds === '' ? '' : ` (${r.slo.bounds})`}`;
}

const level = (v: number): string => String(Number(v.toPrecision(3)));

/**
 * What set the limit, read from the failing steps at the interval's upper end:
 * a latency (or error) bound of the SLO, or throughput saturation while every
 * bound held. '' when no step failed there.
 */
export function limitWords(r: CapacityReport, unit: string): string {
  const high = r.result === null ? null : resultLevels(r.result).high;
  if (high === null) return '';
  const failed = r.steps.filter((s) => (s.offeredRps ?? s.concurrency) === high && s.verdict === 'fail');
  if (failed.length === 0) return '';
  if (failed.some((s) => s.sloPassed === false)) {
    const reason = failed.find((s) => s.sloPassed === false)?.reasons[0];
    return ` The limit is the SLO: at ${level(high)} ${unit} a bound broke${reason === undefined ? '' : ` (${reason})`}.`;
  }
  if (failed.some((s) => s.saturated)) {
    const reason = failed.find((s) => s.saturated)?.reasons.find((x) => x.startsWith('saturated'));
    return ` The limit is throughput saturation, not a latency bound: every bound held at ${level(high)} ${unit}, but ${reason === undefined ? 'the target saturated' : reason.replace(/^saturated: /, '')}.`;
  }
  return '';
}

/** The knob that lets a search that passed at its maximum go higher: MAX_RATE for a rate, MAX_VUS for a concurrency. */
export function searchCeilingAdvice(r: CapacityReport): string {
  return r.loadModel === 'closed' ? 'raise MAX_VUS' : 'raise MAX_RATE';
}
