// Stage facts the summary needs from the plan: when each stage runs, how long,
// at what offered rate. Pure.

import { phaseDurationS, stagesOf, type Phase, type Plan } from '../plan/phase.ts';

export interface StageInfo {
  stage: string;
  judged: boolean;
  startS: number;
  durationS: number;
  /** planned mean rate over the stage, rps (open-model stages) */
  offeredRps?: number;
}

function rateAt(p: Phase, t: number): number | undefined {
  const e = p.executor;
  if (e.kind === 'constant-arrival-rate') return e.rateRps;
  if (e.kind === 'ramping-arrival-rate') return e.startRps + ((e.targetRps - e.startRps) * t) / e.durationS;
  return undefined;
}

export function stageInfos(plan: Plan): StageInfo[] {
  const out: StageInfo[] = [];
  for (const p of plan.phases) {
    const stages = stagesOf(p);
    if (p.windowS !== undefined) {
      const w = p.windowS;
      stages.forEach((stage, k) => {
        const from = k * w;
        const to = Math.min(phaseDurationS(p), (k + 1) * w);
        const a = rateAt(p, from);
        const b = rateAt(p, to);
        out.push({ stage, judged: p.judged, startS: p.startS + from, durationS: to - from, ...(a !== undefined && b !== undefined ? { offeredRps: (a + b) / 2 } : {}) });
      });
      continue;
    }
    const d = phaseDurationS(p);
    const a = rateAt(p, 0);
    const b = rateAt(p, d);
    for (const stage of stages) {
      out.push({ stage, judged: p.judged && stage !== 'warmup', startS: p.startS, durationS: d, ...(a !== undefined && b !== undefined ? { offeredRps: (a + b) / 2 } : {}) });
    }
  }
  return out;
}

export function plannedEndS(plan: Plan): number {
  return Math.max(0, ...plan.phases.map((p) => p.startS + phaseDurationS(p)));
}
