// Stages that cannot pass by construction: an open-model stage whose planned
// arrivals stay under the SLO's minRequests for a class it judges (e.g. a
// short ramp whose 1 rps first step lasts 8 s, against minRequests 10). Such a
// run would report that step as failed and lose the ramp's answer (the highest
// passing rate), so defineScenario refuses the plan before any load is sent
// and the CLI reports it as invalid configuration (exit 2). Pure.

import type { TrafficClass } from '../../shared/metrics.ts';
import type { Slo } from '../../shared/slo/schema.ts';
import { classesOf, DEFAULT_SLO } from './options.ts';
import { phaseDurationS, stagesOf, type Phase, type Plan } from './phase.ts';

/** Requests an arrival-rate stage can start at most: k6 may start one more exactly at the end. */
function stageLoads(p: Phase): { stage: string; rateText: string; seconds: number; most: number }[] {
  const e = p.executor;
  if (p.perPrompt !== undefined) return [];
  if (e.kind !== 'constant-arrival-rate' && e.kind !== 'ramping-arrival-rate') return [];
  const total = phaseDurationS(p);
  // the rate at t seconds into the phase (linear for a ramp)
  const rate = (t: number) => (e.kind === 'constant-arrival-rate' ? e.rateRps : e.startRps + ((e.targetRps - e.startRps) * t) / total);
  const load = (stage: string, from: number, to: number) => {
    const a = round1(rate(from));
    const b = round1(rate(to));
    return { stage, rateText: a === b ? `${a} rps` : `${a}→${b} rps`, seconds: to - from, most: ((rate(from) + rate(to)) / 2) * (to - from) + 1 };
  };
  if (p.windowS === undefined) return [load(p.stage, 0, total)];
  const w = p.windowS;
  return stagesOf(p).map((stage, i) => load(stage, i * w, Math.min(total, (i + 1) * w)));
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** One line per judged stage × class whose planned requests stay under the SLO's minRequests; [] when every stage can pass. */
export function requestShortfalls(plan: Plan, slo: Slo | null): string[] {
  const rules = (slo ?? DEFAULT_SLO).classes;
  const classes = classesOf(plan);
  const out: string[] = [];
  for (const p of plan.phases) {
    if (!p.judged) continue;
    for (const load of stageLoads(p)) {
      for (const cls of classes as TrafficClass[]) {
        const r = rules[cls];
        if (r === undefined) continue;
        const min = r.minRequests ?? 1;
        const share = cls === 'llm' ? p.llmShare : 1 - p.llmShare;
        const most = share * load.most;
        if (most >= min) continue;
        const shareText = share < 1 ? `, ${Math.round(share * 100)} % of them ${cls}` : '';
        out.push(
          `stage ${load.stage}: ${load.rateText} for ${round1(load.seconds)} s starts at most ${Math.floor(most)} ${cls} requests${shareText}, under the SLO's minRequests ${min} for ${cls}, so the stage cannot pass (raise the duration or the rate, or lower minRequests)`,
        );
      }
    }
  }
  return out;
}
