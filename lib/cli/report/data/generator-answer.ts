// The answer when the load generator ran out of CPU in a judged stage
// (summary.generator, lib/shared/generator): the sentence names the generator
// with its figure and gives the answer as a lower bound, unless the target had
// already broken the SLO in an earlier stage where k6 had headroom (then the
// target's answer stands and the generator's stage is mentioned after it). Pure.

import { generatorVerdict } from '../../../shared/generator/judge.ts';
import { generatorAnswer } from '../../../shared/generator/text.ts';
import type { Summary } from '../../../shared/summary.ts';
import type { RunSummary } from '../../run-folder-read/run-record.ts';
import type { Answer } from './answer.ts';
import { stageLoad } from './steps.ts';

const compact = (v: number): string => (Math.abs(v) >= 1000 ? v.toFixed(0) : String(Number(v.toPrecision(3))));

export function withGeneratorAnswer(answer: Answer, summary: RunSummary | undefined): Answer {
  const gen = summary?.generator;
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
