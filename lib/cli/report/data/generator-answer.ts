// The answer when the load generator ran out of CPU in a judged stage
// (summary.generator, lib/shared/generator): the sentence names the generator
// with its figure and gives the answer as a lower bound, unless the target had
// already broken the SLO in an earlier stage where k6 had headroom (then the
// target's answer stands and the generator's stage is mentioned after it). Pure.

import { generatorVerdict } from '../../../shared/generator/judge.ts';
import { generatorAnswer } from '../../../shared/generator/text.ts';
import type { Summary } from '../../../shared/summary.ts';
import type { RunSummary } from '../../run-folder/run-record.ts';
import type { Answer } from './answer.ts';
import { stageLoad } from './steps.ts';

const compact = (v: number): string => (Math.abs(v) >= 1000 ? v.toFixed(0) : String(Number(v.toPrecision(3))));

/**
 * Where the target reports its own time, the failing stage's split says whose
 * the latency was: mostly the server's (the target's own work or queue), or
 * mostly client plus network.
 */
export function serverTimeWords(summary: RunSummary | undefined, stage: string): string | undefined {
  const st = summary?.generator?.stages.find((g) => g.stage === stage)?.serverTime;
  if (st === undefined) return undefined;
  const server = Math.round(st.serverShare * 100);
  return st.serverShare >= 0.5
    ? `At ${stage} the target's own time (${st.source}) was ${server} % of e2e: the latency was the target's.`
    : `At ${stage} the target's own time (${st.source}) was only ${server} % of e2e: most of the latency was client and network.`;
}

export function withGeneratorAnswer(answer: Answer, summary: RunSummary | undefined): Answer {
  const gen = summary?.generator;
  const failing = answer.firstFailing?.stage;
  const words = failing === undefined ? undefined : serverTimeWords(summary, failing);
  if (words !== undefined && gen?.stages.find((g) => g.stage === failing)?.bound !== true)
    answer = { ...answer, sentence: `${answer.sentence} ${words}` };
  if (summary === undefined || gen?.firstBoundStage === undefined || summary.stages === undefined) return answer;
  const s = summary as Pick<Summary, 'stages' | 'slo' | 'generator'>;
  if (s.slo === undefined) return answer;
  const verdict = generatorVerdict(s);
  const first = gen.firstBoundStage;
  const reason = gen.stages.find((g) => g.stage === first)?.reason ?? `${first}: the generator was the limit`;
  if (verdict.targetBreach) return { ...answer, sentence: `${answer.sentence} Later, at ${reason}.` };
  const loadOf = (stage: string): string => {
    const l = stageLoad(s.stages.find((x) => x.stage === stage));
    return l === null
      ? stage
      : l.unit === 'rps'
        ? `${compact(l.value)} requests/s`
        : `${compact(l.value)} concurrent requests`;
  };
  const sentence = generatorAnswer(s, loadOf) ?? answer.sentence;
  return {
    ...answer,
    sentence,
    limit: 'generator',
    facts: answer.facts.map((f) =>
      f.label === 'limit' ? { label: 'limit', value: 'the load generator', tone: 'warn' as const } : f,
    ),
  };
}
