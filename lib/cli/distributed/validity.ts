// Validity of a merged run: the same rules as lib/k6/summary/validity.ts
// (dropped iterations, achieved under 95 % of the offered rate, start lag),
// applied to the merged stages. Each instance alone always looks
// under-delivered (it sends 1/N of the offered rate), so only the merged
// judgement means anything. The Node side may not import k6-side code; a test
// (validity.test.ts) holds this copy equal to the original until that pure file
// moves to lib/shared.

import type { StageSummary, Summary } from '../../shared/summary.ts';

export const MIN_ACHIEVED_RATIO = 0.95;
export const MAX_START_LAG_P95_MS = 50;

export function judgeMergedValidity(stages: readonly StageSummary[], droppedIterations: number): Summary['validity'] {
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
