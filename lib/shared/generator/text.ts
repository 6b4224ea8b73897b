// The generator's lines of summary.txt and of the answer: per stage, k6's CPU
// against what it may use, the host's, the local target's, the probe's lag and
// the target's own share of e2e; then the verdict in words. Pure.

import type { Summary } from '../summary.ts';
import { coresWords } from './judge.ts';
import type { GeneratorStage } from './figures.ts';

const pct = (x: number | undefined): string => (x === undefined ? '-' : `${Math.round(x * 100)} %`);
const f1 = (x: number | undefined): string => (x === undefined ? '-' : x.toFixed(1));

/** "k6 98 % of 1 core, host 74 %, target 0.4 cores, probe p95 1.2 ms, server 91 % of e2e" */
export function stageFiguresWords(g: GeneratorStage): string {
  const parts: string[] = [];
  if (g.k6CpuShare !== undefined && g.allowedCores !== undefined)
    parts.push(
      `k6 ${pct(g.k6CpuShare)} of ${coresWords(g.allowedCores).slice(4)}${g.k6WaitCores === undefined ? '' : ` (+${pct(g.k6WaitCores / g.allowedCores)} waiting for it)`}`,
    );
  if (g.hostCpuShare !== undefined) parts.push(`host ${pct(g.hostCpuShare)}`);
  if (g.targetCpuCores !== undefined && g.k6CpuCores !== undefined)
    parts.push(`CPU split target ${f1(g.targetCpuCores)} / k6 ${f1(g.k6CpuCores)} cores`);
  if (g.probeLagP95Ms !== undefined) parts.push(`probe lag p95 ${f1(g.probeLagP95Ms)} ms`);
  if (g.serverTime !== undefined)
    parts.push(
      `${g.serverTime.source}: server ${pct(g.serverTime.serverShare)} of e2e, client + network ${pct(1 - g.serverTime.serverShare)}`,
    );
  return parts.length === 0 ? 'no figures' : parts.join(', ');
}

/** The generator section of summary.txt; [] when the CLI added no generator block. */
export function generatorLines(s: Pick<Summary, 'generator' | 'stages'>): string[] {
  const g = s.generator;
  if (g === undefined) return [];
  const lines = [
    `load generator per stage (bound: k6 >= ${Math.round(g.boundShare * 100)} % of the CPU it may use${g.limitedBy === undefined ? '' : ` (${g.limitedBy})`}, or probe lag p95 > ${g.probeLagBoundMs} ms):`,
  ];
  for (const st of g.stages)
    lines.push(`  ${st.bound === true ? 'BOUND' : 'ok   '} ${st.stage}: ${stageFiguresWords(st)}`);
  if (g.firstBoundStage !== undefined) {
    const reason = g.stages.find((x) => x.stage === g.firstBoundStage)?.reason;
    lines.push(`  ${reason ?? `${g.firstBoundStage}: the generator was the limit`}`);
  }
  for (const n of g.notes) lines.push(`  note: ${n}`);
  return lines;
}

/**
 * The answer's generator words: "generator-bound at <load> (<reason>): the
 * answer is at least <highest>", or undefined when no judged stage was bound.
 */
export function generatorAnswer(
  s: Pick<Summary, 'generator' | 'stages' | 'slo'>,
  loadWords: (stage: string) => string,
): string | undefined {
  const first = s.generator?.firstBoundStage;
  if (first === undefined) return undefined;
  const reason = s.generator?.stages.find((x) => x.stage === first)?.reason ?? `${first}: the generator was the limit`;
  const highest =
    s.slo.highestPassingRps !== undefined
      ? `${s.slo.highestPassingRps} requests/s`
      : s.slo.highestPassingConcurrency !== undefined
        ? `${s.slo.highestPassingConcurrency} concurrent requests`
        : undefined;
  return `Generator-bound at ${loadWords(first)}: ${reason}. ${highest === undefined ? 'No step before it passed, so the run says nothing about the target.' : `The answer is at least ${highest}.`}`;
}
