// Stage facts from the plan: when each stage runs, how long, at what planned
// arrival rates and LLM share. The summary (lib/k6/summary) reports against
// them; feasibility.ts checks them against the SLO before a run. Pure.

import { phaseDurationS, stagesOf, type Phase, type Plan } from './phase.ts';

export interface StageInfo {
  stage: string;
  judged: boolean;
  startS: number;
  durationS: number;
  /** probability that a request of the stage is LLM traffic */
  llmShare: number;
  /** planned arrival rate at the stage's start and end, rps (open-model stages; equal for a constant rate) */
  rates?: { from: number; to: number };
  /** closed-model stages of a fixed number of VUs: that number */
  concurrency?: number;
}

/** planned mean rate over the stage, rps (open-model stages) */
export function offeredRpsOf(info: StageInfo): number | undefined {
  return info.rates === undefined ? undefined : (info.rates.from + info.rates.to) / 2;
}

function rateAt(p: Phase, t: number): number | undefined {
  const e = p.executor;
  if (e.kind === 'constant-arrival-rate') return e.rateRps;
  if (e.kind === 'ramping-arrival-rate') return e.startRps + ((e.targetRps - e.startRps) * t) / e.durationS;
  return undefined;
}

function info(p: Phase, stage: string, judged: boolean, from: number, to: number): StageInfo {
  const a = rateAt(p, from);
  const b = rateAt(p, to);
  const out: StageInfo = { stage, judged, startS: p.startS + from, durationS: to - from, llmShare: p.llmShare };
  if (a !== undefined && b !== undefined) out.rates = { from: a, to: b };
  if (p.executor.kind === 'constant-vus') out.concurrency = p.executor.vus;
  return out;
}

export function stageInfos(plan: Plan): StageInfo[] {
  const out: StageInfo[] = [];
  for (const p of plan.phases) {
    const stages = stagesOf(p);
    const d = phaseDurationS(p);
    if (p.windowS !== undefined) {
      const w = p.windowS;
      stages.forEach((stage, k) => out.push(info(p, stage, p.judged, k * w, Math.min(d, (k + 1) * w))));
      continue;
    }
    for (const stage of stages) out.push(info(p, stage, p.judged && stage !== 'warmup', 0, d));
  }
  return out;
}

export function plannedEndS(plan: Plan): number {
  return Math.max(0, ...plan.phases.map((p) => p.startS + phaseDurationS(p)));
}
