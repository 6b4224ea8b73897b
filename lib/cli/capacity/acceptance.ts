// Acceptance criteria of one capacity step, kept apart from the search
// (stepper.ts) so either can change alone. Verdicts:
//   fail     the SLO broke, errors exceeded the limit, or the target saturated
//            (it completed clearly less than offered, or its latency kept
//            rising through the window: a queue that grows is not sustainable
//            however short the step)
//   invalid  the load generator did not deliver the offered load (dropped
//            iterations, late starts, nothing measured): no evidence either way
//   pass     none of the above
// An SLO breach stays a fail even when the step was also invalid (a breach
// under less load than planned is still a breach).

import type { StepMeasurement } from '../../shared/capacity/measurement.ts';
import { coresWords, GENERATOR_BOUND_SHARE, LATE_FOR_WAIT_MS } from '../../shared/generator/judge.ts';
import type { StepGenerator } from './step.ts';
import type { Verdict } from './stepper.ts';

export interface AcceptanceCriteria {
  /** completed responses / offered below this: the target saturated (0.95) */
  minAchievedRatio: number;
  /** started arrivals / scheduled below this: the generator fell behind (0.95); any drop above maxDroppedRatio also counts */
  minDeliveredRatio: number;
  /** dropped iterations / scheduled above this makes the step invalid (0: none allowed) */
  maxDroppedRatio: number;
  /** p95 start lag above this many ms: the generator was late (its own saturation) */
  maxStartLagP95Ms: number;
  /** second-half median latency / first-half median above this, by at least latencyGrowthMinMs: the queue grew */
  latencyGrowthRatio: number;
  latencyGrowthMinMs: number;
  /** error rate limit applied on top of the SLO (the only one when there is no SLO); null: the SLO alone decides */
  maxErrorRate: number | null;
  /** fewest measured requests for any verdict but invalid */
  minRequests: number;
}

export const DEFAULT_ACCEPTANCE: Readonly<AcceptanceCriteria> = Object.freeze({
  minAchievedRatio: 0.95,
  minDeliveredRatio: 0.95,
  maxDroppedRatio: 0,
  maxStartLagP95Ms: 250,
  latencyGrowthRatio: 1.5,
  latencyGrowthMinMs: 25,
  maxErrorRate: null,
  minRequests: 5,
});

/** Error-rate limit used when the run has no SLO at all. */
export const NO_SLO_MAX_ERROR_RATE = 0.01;

export interface StepJudgement {
  verdict: Verdict;
  /** every reason the step did not pass, in words; empty for a pass */
  reasons: string[];
  saturated: boolean;
  /** failed by a wide margin (saturated by > 10 %, error rate >= 50 %, or a latency bound exceeded by >= 50 %) */
  decisive: boolean;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;

export function judgeStep(m: StepMeasurement, c: AcceptanceCriteria = DEFAULT_ACCEPTANCE): StepJudgement {
  const failures: string[] = [];
  const invalid: string[] = [];
  let decisive = false;

  if (m.sloPassed === false) {
    const worst = Math.max(0, ...m.sloBreaches.map((b) => b.ratio ?? 0));
    if (worst >= 1.5) decisive = true;
    failures.push(
      `slo breached: ${m.sloBreaches.map((b) => `${b.metric} ${b.expression}${b.observed === null ? '' : ` (observed ${round(b.observed)})`}`).join('; ') || 'a threshold failed'}`,
    );
  }
  const maxErrorRate = c.maxErrorRate ?? (m.sloPassed === null ? NO_SLO_MAX_ERROR_RATE : null);
  if (maxErrorRate !== null && m.requests > 0 && m.errorRate > maxErrorRate) {
    failures.push(`error rate ${pct(m.errorRate)} above ${pct(maxErrorRate)}`);
    if (m.errorRate >= 0.5) decisive = true;
  }

  const achievedRatio = m.offeredRps > 0 ? m.achievedRps / m.offeredRps : 0;
  const droppedRatio = m.scheduled > 0 ? m.droppedIterations / m.scheduled : 0;
  const deliveredRatio = 1 - droppedRatio;
  const { first, second } = m.halvesP50Ms;
  const growing =
    first !== null &&
    second !== null &&
    first > 0 &&
    second / first > c.latencyGrowthRatio &&
    second - first >= c.latencyGrowthMinMs;
  // Saturation: the target completed clearly less than the generator actually delivered
  // (when VUs ran out because requests queued at the target, the delivered share is lower too).
  // a closed-model step offers no rate: what it achieves is its throughput, never a shortfall
  const underDelivered =
    m.concurrency === undefined && achievedRatio < c.minAchievedRatio * deliveredRatio && m.requests > 0;
  const saturated = underDelivered || growing;
  if (underDelivered) {
    failures.push(
      `saturated: the target completed ${round(m.achievedRps)} of ${round(m.offeredRps)} rps offered (${pct(achievedRatio)})`,
    );
    if (achievedRatio < 0.9) decisive = true;
  }
  if (growing)
    failures.push(
      `saturated: median latency rose from ${round(first!)} ms to ${round(second!)} ms within the window (a growing queue)`,
    );

  if (m.requests < c.minRequests)
    invalid.push(`only ${m.requests} requests measured (at least ${c.minRequests} needed)`);
  if (droppedRatio > c.maxDroppedRatio || deliveredRatio < c.minDeliveredRatio) {
    invalid.push(
      `load generator dropped ${m.droppedIterations} of ${m.scheduled} arrivals (${pct(droppedRatio)}): no free VU`,
    );
  }
  if (m.startLagP95Ms !== null && m.startLagP95Ms > c.maxStartLagP95Ms) {
    invalid.push(
      `load generator started requests late: p95 start lag ${round(m.startLagP95Ms)} ms above ${c.maxStartLagP95Ms} ms`,
    );
  }

  const sloBroke = m.sloPassed === false;
  if (failures.length > 0 && (invalid.length === 0 || sloBroke)) {
    return {
      verdict: 'fail',
      reasons: [...failures, ...invalid.map((r) => `also invalid: ${r}`)],
      saturated,
      decisive,
    };
  }
  if (invalid.length > 0)
    return {
      verdict: 'invalid',
      reasons: [...invalid, ...failures.map((r) => `also: ${r}`)],
      saturated,
      decisive: false,
    };
  return { verdict: 'pass', reasons: [], saturated: false, decisive: false };
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}

/**
 * A step where k6 kept at least GENERATOR_BOUND_SHARE of the CPU it may use
 * busy is neither pass nor fail: whatever it measured (drops, late starts,
 * latency, an SLO breach) is the generator's. The reason with its figure, or
 * undefined when k6 had headroom (or was not sampled).
 */
export function generatorBoundReason(
  g: StepGenerator | null | undefined,
  m?: Pick<StepMeasurement, 'droppedIterations' | 'startLagP95Ms'>,
): string | undefined {
  if (g === null || g === undefined) return undefined;
  const used = `k6 used ${Math.round(g.k6CpuShare * 100)} % of ${coresWords(g.allowedCores)} it may use (${g.limitedBy})`;
  // waiting for a CPU counts only when k6 also fell behind its schedule (lib/shared/generator/judge.ts LATE_FOR_WAIT_MS)
  const behind = m === undefined || m.droppedIterations > 0 || (m.startLagP95Ms ?? 0) >= LATE_FOR_WAIT_MS;
  const waited = behind ? (g.waitShare ?? 0) : 0;
  const tail = 'the generator, not the target, was the limit; add INSTANCES or cores';
  if (g.k6CpuShare >= GENERATOR_BOUND_SHARE) return `${used}; ${tail}`;
  if (g.k6CpuShare + waited >= GENERATOR_BOUND_SHARE)
    return `${used} and waited for a CPU another ${Math.round(waited * 100)} % (runnable while its cores were busy); ${tail}`;
  return undefined;
}

/**
 * A step judged invalid only for the generator's reasons (it dropped arrivals
 * or started them late) while the target showed no failure of any kind (no SLO
 * breach, no errors, no saturation): k6 did not deliver the level, so the step
 * says nothing about the target and the search cannot go above it. The reason
 * with k6's CPU figure, or undefined.
 */
export function generatorUndeliveredReason(j: StepJudgement, g: StepGenerator | null | undefined): string | undefined {
  if (j.verdict !== 'invalid') return undefined;
  const generatorSide = j.reasons.filter((r) => r.startsWith('load generator '));
  if (generatorSide.length === 0 || j.reasons.some((r) => r.startsWith('also: ') || r.startsWith('only ')))
    return undefined;
  const cpu =
    g === null || g === undefined
      ? ''
      : ` (k6 used ${Math.round(g.k6CpuShare * 100)} % of ${coresWords(g.allowedCores)} it may use (${g.limitedBy})${g.waitShare !== undefined && g.waitShare >= 0.05 ? ` and waited for a CPU another ${Math.round(g.waitShare * 100)} %` : ''})`;
  return `${generatorSide.join('; ')} while the target kept up${cpu}; the generator, not the target, was the limit; add INSTANCES or cores`;
}

/**
 * The one rule the search applies to every k6 run (the probe and each step):
 * k6 out of CPU (generatorBoundReason), or a level k6 did not deliver while
 * the target kept up (generatorUndeliveredReason). The reason, or undefined
 * when the step is evidence about the target.
 */
export function generatorLimitReason(
  g: StepGenerator | null | undefined,
  m: StepMeasurement,
  j: StepJudgement,
): string | undefined {
  return generatorBoundReason(g, m) ?? generatorUndeliveredReason(j, g);
}
