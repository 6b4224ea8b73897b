// Stages that cannot pass by construction: an open-model stage whose planned
// arrivals stay under the SLO's minRequests for a class it judges (e.g. a
// short ramp whose 1 rps first step lasts 8 s, against minRequests 10). Such a
// run would report that step as failed and lose the ramp's answer (the highest
// passing rate), so defineScenario refuses the plan before any load is sent
// and the CLI reports it as invalid configuration (exit 2). Pure.

import type { TrafficClass } from '../../shared/metrics.ts';
import type { Slo } from '../../shared/slo/schema.ts';
import { classesOf } from './options.ts';
import type { Plan } from '../../shared/plan/phase.ts';
import { offeredRpsOf, stageInfos, type StageInfo } from '../../shared/plan/stages.ts';

const round1 = (x: number) => Math.round(x * 10) / 10;

/** One line per judged stage × class whose planned requests stay under the SLO's minRequests; [] when every stage can pass. */
export function requestShortfalls(plan: Plan, slo: Slo): string[] {
  const rules = slo.classes;
  const classes: TrafficClass[] = classesOf(plan);
  // a stage may span several phases (capacity's measure halves): its requests add up
  const byStage = new Map<string, { infos: StageInfo[] }>();
  for (const info of stageInfos(plan)) {
    // closed-model stages (and compare-plan's prompts) have no planned arrivals to check
    if (!info.judged || info.rates === undefined) continue;
    const seen = byStage.get(info.stage);
    if (seen === undefined) byStage.set(info.stage, { infos: [info] });
    else seen.infos.push(info);
  }
  const out: string[] = [];
  for (const [stage, { infos }] of byStage) {
    const from = round1(infos[0]!.rates!.from);
    const to = round1(infos[infos.length - 1]!.rates!.to);
    const rateText = from === to ? `${from} rps` : `${from}→${to} rps`;
    const durationS = infos.reduce((a, i) => a + i.durationS, 0);
    for (const cls of classes) {
      const r = rules[cls];
      if (r === undefined) continue;
      const min = r.minRequests ?? 1;
      // k6 may start one more iteration exactly at the end of each phase
      const most = infos.reduce(
        (a, i) => a + ((offeredRpsOf(i) ?? 0) * i.durationS + 1) * (cls === 'llm' ? i.llmShare : 1 - i.llmShare),
        0,
      );
      const share = cls === 'llm' ? infos[0]!.llmShare : 1 - infos[0]!.llmShare;
      if (most >= min) continue;
      const shareText = share < 1 ? `, ${Math.round(share * 100)} % of them ${cls}` : '';
      out.push(
        `stage ${stage}: ${rateText} for ${round1(durationS)} s starts at most ${Math.floor(most)} ${cls} requests${shareText}, under the SLO's minRequests ${min} for ${cls}, so the stage cannot pass (raise the duration or the rate, or lower minRequests)`,
      );
    }
  }
  return out;
}
