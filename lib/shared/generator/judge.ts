// Was the load generator the limit, stage by stage? A stage is generator-bound
// when k6 kept at least GENERATOR_BOUND_SHARE of the CPU it may use busy, or
// its probe VU woke late in that stage. Such a stage is invalid: its drops,
// start lag and latency are k6's, not evidence about the target. The run's
// answer stops before the first generator-bound judged stage ("the answer is
// at least X"); a breach counts against the target only in a stage before it,
// where k6 had headroom. Pure: the CLI calls it with its CPU figures, after k6
// wrote summary.json (k6 cannot read its own CPU from inside).

import type { Summary } from '../summary.ts';
import { judgeValidity, MAX_GENERATOR_LAG_P95_MS } from '../validity.ts';
import { highestPassing } from '../verdicts.ts';
import type { GeneratorBlock, GeneratorStage } from './figures.ts';

/**
 * k6's CPU at or above which a stage is generator-bound, as a share of the CPU
 * it may use: the time it ran plus the time its threads waited for one of its
 * cores (others held them). Measured with bench/generator (k6 on one core,
 * 64-token streams, README "Validity"): every stage where k6 dropped arrivals
 * had k6 at 0.85 or more of its core; stages it delivered in full measured
 * 0.24-0.86. 0.85 calls the near-saturated stages the generator's rather than
 * ever lending k6's limit to the target.
 */
export const GENERATOR_BOUND_SHARE = 0.85;

/**
 * k6's lateness in a stage (its probe's p95 oversleep, or the p95 start lag of
 * its iterations), ms, from which the time its threads waited for a CPU
 * counts. The wait is summed over all of k6's threads, and a Go process's idle
 * runtime threads wait briefly at every wake-up on a busy host: a 2-VU smoke
 * stage on a loaded machine read 35 % used + 55 % waiting with its probe 2.1 ms
 * late and nothing dropped, on schedule. In bench/generator every stage where a
 * starved k6 dropped arrivals had its probe 8.9-17.3 ms late.
 */
export const LATE_FOR_WAIT_MS = 5;

const pct = (x: number): string => String(Math.round(x * 100));
const num = (x: number): string => String(Number(x.toPrecision(2)));

/** "the 1 core", "the 2 cores", "the 0.5 core" */
export function coresWords(cores: number): string {
  return `the ${num(cores)} core${cores > 1 ? 's' : ''}`;
}

/** Why the stage was generator-bound, with its figures; undefined when k6 had headroom. */
export function boundReason(g: GeneratorStage, startLagP95Ms?: number): string | undefined {
  const parts: string[] = [];
  if (g.k6CpuShare !== undefined && g.allowedCores !== undefined) {
    const late = Math.max(g.probeLagP95Ms ?? 0, startLagP95Ms ?? 0) >= LATE_FOR_WAIT_MS;
    const waitShare = late ? (g.k6WaitCores ?? 0) / g.allowedCores : 0;
    if (g.k6CpuShare >= GENERATOR_BOUND_SHARE)
      parts.push(`k6 used ${pct(g.k6CpuShare)} % of ${coresWords(g.allowedCores)} it may use`);
    else if (g.k6CpuShare + waitShare >= GENERATOR_BOUND_SHARE)
      parts.push(
        `k6 used ${pct(g.k6CpuShare)} % of ${coresWords(g.allowedCores)} it may use and waited for a CPU another ${pct(waitShare)} % (runnable while its cores were busy)`,
      );
  }
  if (g.probeLagP95Ms !== undefined && g.probeLagP95Ms > MAX_GENERATOR_LAG_P95_MS)
    parts.push(
      `k6's probe woke p95 ${g.probeLagP95Ms.toFixed(1)} ms late from 50 ms sleeps (limit ${MAX_GENERATOR_LAG_P95_MS} ms)`,
    );
  if (parts.length === 0) return undefined;
  return `${g.stage}: ${parts.join(' and ')}; the generator, not the target, was the limit; add INSTANCES or cores`;
}

/** The stages classified, and the first judged bound stage. */
export function classifyStages(
  summary: Pick<Summary, 'stages'>,
  figures: readonly GeneratorStage[],
): { stages: GeneratorStage[]; firstBoundStage?: string } {
  const startLag = new Map(summary.stages.map((s) => [s.stage, s.startLagP95Ms]));
  const stages = figures.map((g) => {
    const reason = boundReason(g, startLag.get(g.stage));
    const out: GeneratorStage = { ...g, bound: reason !== undefined };
    if (reason !== undefined) out.reason = reason;
    return out;
  });
  const boundSet = new Set(stages.filter((g) => g.bound === true).map((g) => g.stage));
  const first = summary.stages.find((s) => s.judged && boundSet.has(s.stage))?.stage;
  return first === undefined ? { stages } : { stages, firstBoundStage: first };
}

/**
 * summary.json judged again with the generator's figures: validity with a
 * reason per generator-bound judged stage (and no target limit there), the
 * delivery verdicts of those stages dropped, the SLO's pass and highest
 * passing load taken only from stages before the first bound one.
 */
export function judgeWithGenerator(
  summary: Summary,
  figures: readonly GeneratorStage[],
  extra: { limitedBy?: string; notes?: readonly string[] } = {},
): Summary {
  const { stages, firstBoundStage } = classifyStages(summary, figures);
  const bound = new Set(stages.filter((g) => g.bound === true).map((g) => g.stage));
  const judged = new Set(summary.stages.filter((s) => s.judged).map((s) => s.stage));
  const validity = judgeValidity(summary.stages, summary.validity.phases, summary.validity.generatorLagP95Ms, bound);
  for (const g of stages) {
    if (g.reason === undefined) continue;
    if (judged.has(g.stage)) validity.reasons.push(`stage ${g.reason}`);
    else validity.notes.push(`stage ${g.reason} (not judged)`);
  }
  validity.valid = validity.reasons.length === 0;
  const limitStages = new Set(validity.targetLimits.flatMap((l) => l.stages));
  const verdicts = summary.slo.verdicts.filter((v) => v.delivery !== true || limitStages.has(v.stage));
  // the answer ends before the first stage the generator limited: later steps say nothing about the target
  const cut = firstBoundStage === undefined ? -1 : summary.stages.findIndex((s) => s.stage === firstBoundStage);
  const evidence = cut < 0 ? summary.stages : summary.stages.slice(0, cut);
  const evidenceNames = new Set(evidence.map((s) => s.stage));
  const slo: Summary['slo'] = {
    ...summary.slo,
    verdicts,
    passed: verdicts.filter((v) => !bound.has(v.stage)).every((v) => v.ok),
  };
  // only a stepped run has a highest passing load; cutting stages off can only lower it
  if (summary.slo.highestPassingRps !== undefined || summary.slo.highestPassingConcurrency !== undefined) {
    delete slo.highestPassingRps;
    delete slo.highestPassingConcurrency;
    delete slo.throughputAtHighestRps;
    Object.assign(
      slo,
      highestPassing(
        evidence,
        verdicts.filter((v) => evidenceNames.has(v.stage)),
      ),
    );
  }
  const block: GeneratorBlock = {
    ...(extra.limitedBy === undefined ? {} : { limitedBy: extra.limitedBy }),
    boundShare: GENERATOR_BOUND_SHARE,
    probeLagBoundMs: MAX_GENERATOR_LAG_P95_MS,
    stages,
    ...(firstBoundStage === undefined ? {} : { firstBoundStage }),
    notes: [...(extra.notes ?? [])],
  };
  return { ...summary, validity, slo, generator: block };
}

/** What the exit code needs: where the generator first ran out, and whether the target breached before that. */
export interface GeneratorVerdict {
  firstBoundStage?: string;
  /** the bound stages' reasons, in stage order */
  reasons: string[];
  /** a verdict failed in a judged stage before the first generator-bound one: the target's breach */
  targetBreach: boolean;
}

export function generatorVerdict(summary: Pick<Summary, 'stages' | 'slo' | 'generator'>): GeneratorVerdict {
  const g = summary.generator;
  const first = g?.firstBoundStage;
  const judgedBound = new Set((g?.stages ?? []).filter((x) => x.bound === true).map((x) => x.stage));
  const reasons = summary.stages
    .filter((s) => s.judged && judgedBound.has(s.stage))
    .flatMap((s) => {
      const r = g?.stages.find((x) => x.stage === s.stage)?.reason;
      return r === undefined ? [] : [r];
    });
  let targetBreach = false;
  for (const s of summary.stages) {
    if (s.stage === first) break;
    if (!s.judged) continue;
    if (summary.slo.verdicts.some((v) => v.stage === s.stage && !v.ok && v.notReached !== true)) targetBreach = true;
  }
  return { ...(first === undefined ? {} : { firstBoundStage: first }), reasons, targetBreach };
}
