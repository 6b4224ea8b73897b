// Was the offered load actually delivered? A run is invalid (neither pass nor
// fail: not evidence) when k6 dropped iterations, a completed open-model stage
// achieved under 95 % of its offered rate, or the load generator fell behind
// its own arrival plan. Pure.

import type { StageSummary, Summary } from './summary.ts';

/** achieved / offered below this marks a stage as under-delivered */
export const MIN_ACHIEVED_RATIO = 0.95;
/** p95 lag of iteration starts behind the arrival plan above this means the load generator is saturated, ms */
export const MAX_START_LAG_P95_MS = 50;

export function judgeValidity(stages: readonly StageSummary[], droppedIterations: number): Summary['validity'] {
  const reasons: string[] = [];
  if (droppedIterations > 0) {
    reasons.push(`k6 dropped ${droppedIterations} iterations: no free VU when an arrival was due (raise MAX_VUS, or the target is slower than planned)`);
  }
  for (const s of stages) {
    if (s.offeredRps === undefined || !s.completed || s.stage === 'warmup') continue;
    const expected = s.offeredRps * s.durationS;
    // arrival-rate executors round to whole iterations: allow one
    if (s.requests + 1 < MIN_ACHIEVED_RATIO * expected) {
      reasons.push(`stage ${s.stage}: achieved ${s.achievedRps.toFixed(2)} rps, under ${MIN_ACHIEVED_RATIO * 100} % of the offered ${s.offeredRps.toFixed(2)} rps (${s.requests} of ${Math.round(expected)} requests)`);
    }
    if (s.startLagP95Ms !== undefined && s.startLagP95Ms > MAX_START_LAG_P95_MS) {
      reasons.push(`stage ${s.stage}: load generator saturated: p95 start lag ${s.startLagP95Ms.toFixed(1)} ms behind the arrival plan (limit ${MAX_START_LAG_P95_MS} ms)`);
    }
  }
  return { valid: reasons.length === 0, reasons, droppedIterations };
}
