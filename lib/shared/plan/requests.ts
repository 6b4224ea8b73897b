// How many workload requests each phase of a plan needs: the block of
// workload.jsonl lines its iterations use (request key k of a phase is line
// from + (k mod count)). Arrival-rate executors start rate × duration
// iterations (and at most one more, exactly at the end); closed-model phases have no planned count, so they get a block
// sized for fast targets and reuse it in order when a run sends more. Pure.

import type { Phase, Plan } from './phase.ts';

/** Closed-model phases: requests per VU-second the block is sized for, and its bounds. */
export const CLOSED_REQUESTS_PER_VU_S = 20;
export const CLOSED_BLOCK_MIN = 100;
export const CLOSED_BLOCK_MAX = 50_000;

export interface PhaseBlock {
  name: string;
  from: number;
  count: number;
}

/** Request keys a phase asks for (compare-plan: one key per prompt, repeated). */
export function phaseRequests(p: Phase): number {
  if (p.perPrompt !== undefined && p.executor.kind === 'shared-iterations')
    return Math.max(1, Math.ceil(p.executor.iterations / (p.perPrompt.warmup + p.perPrompt.measured)));
  const e = p.executor;
  switch (e.kind) {
    case 'constant-arrival-rate':
      // k6 may start one more iteration exactly at the end of the duration: it gets its own line too
      return Math.ceil(e.rateRps * e.durationS) + 1;
    case 'ramping-arrival-rate':
      return Math.max(1, Math.ceil(((e.startRps + e.targetRps) / 2) * e.durationS) + 1);
    case 'constant-vus':
      return Math.min(
        CLOSED_BLOCK_MAX,
        Math.max(CLOSED_BLOCK_MIN, Math.ceil(e.vus * e.durationS * CLOSED_REQUESTS_PER_VU_S)),
      );
    case 'shared-iterations':
      return Math.max(1, e.iterations);
  }
}

/** The blocks of a plan, in phase order, back to back. */
export function phaseBlocks(plan: Plan): PhaseBlock[] {
  let from = 0;
  return plan.phases.map((p) => {
    const count = phaseRequests(p);
    const block = { name: p.name, from, count };
    from += count;
    return block;
  });
}
