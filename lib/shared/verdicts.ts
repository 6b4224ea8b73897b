// The answer of a stepped run, shared by a single k6 run's summary
// (lib/k6/summary) and a distributed run's merged one (lib/cli/distributed):
// the highest step whose verdicts all held, in order, stopping at the first
// step that failed or did not complete; and the verdicts the load delivery adds
// (a stage where the target needed more than MAX_VUS concurrent requests fails). Pure.

import type { TrafficClass } from './metrics.ts';
import type { SloVerdict, StageSummary, Summary } from './summary.ts';
import type { TargetLimit } from './validity.ts';

/** One failed verdict per stage of each target limit. */
export function deliveryVerdicts(
  limits: readonly TargetLimit[],
  classOf: (stage: string) => TrafficClass,
): SloVerdict[] {
  return limits.flatMap((l) =>
    l.stages.map((stage): SloVerdict => ({
      stage,
      class: classOf(stage),
      meaning: `offered load taken within MAX_VUS=${l.maxVus} concurrent requests (needed ${l.neededConcurrency >= l.maxVus ? `about ${Math.round(l.neededConcurrency * 10) / 10}` : `more: every VU was busy`})`,
      metric: `dropped_iterations{scenario:${l.phase}}`,
      expression: 'count==0',
      ok: false,
      delivery: true,
    })),
  );
}

type Answer = Pick<Summary['slo'], 'highestPassingRps' | 'highestPassingConcurrency' | 'throughputAtHighestRps'>;

/**
 * Open-model steps (offeredRps) give highestPassingRps; closed-model steps
 * (concurrency) give highestPassingConcurrency and the requests/s achieved there.
 */
export function highestPassing(stages: readonly StageSummary[], verdicts: readonly SloVerdict[]): Answer {
  const failed = new Set(verdicts.filter((v) => !v.ok).map((v) => v.stage));
  const out: Answer = {};
  for (const st of stages.filter((x) => x.judged && (x.offeredRps !== undefined || x.concurrency !== undefined))) {
    if (!st.completed || failed.has(st.stage)) break;
    if (st.offeredRps !== undefined) out.highestPassingRps = st.offeredRps;
    if (st.concurrency !== undefined) {
      out.highestPassingConcurrency = st.concurrency;
      out.throughputAtHighestRps = st.achievedRps;
    }
  }
  return out;
}
