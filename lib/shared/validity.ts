// Was the offered load actually delivered? "Invalid" (neither pass nor fail:
// not evidence) means the load generator could not deliver the load, never that
// the target is slow. Pure.
//
// What the generator controls, and is judged on:
//   - its own health: k6's probe VU sleeps 50 ms again and again; how late it
//     wakes (p95 over 50 ms) is k6 short of CPU or its scheduler stalled;
//   - iterations that had a free VU and still started late (start lag p95 over
//     50 ms), judged only in phases without dropped iterations: k6 numbers only
//     the iterations it starts, so after a drop every later iteration looks one
//     arrival interval late against the plan (checked with k6 v1.8.1);
//   - arrivals dropped while k6 was still starting VUs (the pre-allocation was
//     too small for the latency), tolerated up to 1 % of a phase's arrivals;
//   - a completed stage achieving under 95 % of its offered rate, only where the
//     plan's phases are unknown (summaries without them). An arrival-rate
//     executor starts or drops every planned arrival, so with phases known the
//     drops above say exactly what was not sent; fewer completions than starts
//     are requests still in flight at the stage's end (a slow target, or a ramp
//     aborted on its breach), not the generator.
// What the target causes, and is reported as the target's property (a failed
// verdict of that stage, not an invalid run): arrivals dropped because every
// allowed VU was busy, i.e. the target needed more than MAX_VUS concurrent
// requests at the offered rate (offered rps × mean e2e, Little's law) -- only
// in stages where the generator had headroom. A generator-bound stage (k6 out
// of the CPU it may use, or its probe late in that stage: lib/shared/generator)
// holds VUs busy and inflates the latency k6 measures itself, so its drops and
// lag are not evidence about the target: the generator's reason covers them.

import { TREND } from './metrics.ts';
import type { StageSummary, Summary } from './summary.ts';

/** achieved / offered below this marks a stage as under-delivered */
export const MIN_ACHIEVED_RATIO = 0.95;
/** p95 lag of iteration starts behind the arrival plan above this means the load generator is saturated, ms */
export const MAX_START_LAG_P95_MS = 50;
/** p95 of the probe VU's oversleep above this means the load generator is saturated, ms */
export const MAX_GENERATOR_LAG_P95_MS = 50;
/** drops while VUs start, as a share of a phase's planned arrivals, tolerated (reported as a note) */
export const MAX_STARTUP_DROP_SHARE = 0.01;
/** needed concurrency at or above this share of the VU cap: the drops are the target's (every VU was busy) */
export const TARGET_LIMIT_SHARE = 0.9;

/** What one k6 scenario (phase) of the plan delivered: the data the judgement works on. */
export interface PhaseDelivery {
  phase: string;
  /** the stages its samples are tagged with (one, or a breakpoint's windows) */
  stages: string[];
  judged: boolean;
  /** arrivals k6 planned in the phase (open model) */
  plannedArrivals: number;
  /** arrivals k6 dropped: no free VU when one was due */
  droppedIterations: number;
  /** the executor's VU cap (MAX_VUS, plus the VUs Poisson or gamma delays keep busy) */
  maxVus: number;
  /** VUs k6 started before the phase (absent in older summaries): all of maxVus means a drop found every VU busy */
  preAllocatedVus?: number;
}

export interface TargetLimit {
  phase: string;
  stages: string[];
  maxVus: number;
  /** offered rps × mean e2e seconds, highest over the phase's stages */
  neededConcurrency: number;
  droppedIterations: number;
  message: string;
}

export type Validity = Summary['validity'];

const round1 = (x: number): number => Math.round(x * 10) / 10;

/** offered rps × mean e2e seconds over every class of the stage: the requests in flight the offered rate needs. */
export function neededConcurrency(s: StageSummary): number | undefined {
  if (s.offeredRps === undefined) return undefined;
  let n = 0;
  let sumMs = 0;
  for (const c of Object.values(s.classes)) {
    const e2e = c?.latency[TREND.e2eMs];
    if (e2e === undefined) continue;
    n += e2e.count;
    sumMs += e2e.avg * e2e.count;
  }
  return n === 0 ? undefined : (s.offeredRps * sumMs) / n / 1000;
}

/** Stages whose own probe lag p95 breaks MAX_GENERATOR_LAG_P95_MS: k6 was short of CPU there. */
export function probeBoundStages(stages: readonly StageSummary[]): Set<string> {
  return new Set(stages.filter((s) => (s.probeLagP95Ms ?? 0) > MAX_GENERATOR_LAG_P95_MS).map((s) => s.stage));
}

export function judgeValidity(
  stages: readonly StageSummary[],
  phases: readonly PhaseDelivery[],
  generatorLagP95Ms: number | undefined,
  /** stages where k6 was out of CPU (the CLI's CPU figures); the probe's own per-stage verdict is added */
  generatorBound: ReadonlySet<string> = new Set(),
): Validity {
  const bound = new Set([...generatorBound, ...probeBoundStages(stages)]);
  const reasons: string[] = [];
  const notes: string[] = [];
  const targetLimits: TargetLimit[] = [];
  const byStage = new Map(stages.map((s) => [s.stage, s]));
  /** stages whose shortfall is explained (the target's limit) or whose start lag is not exact (drops) */
  const limited = new Set<string>();
  const dropped = new Set<string>();
  const tracked = new Set(phases.flatMap((p) => p.stages));

  if (generatorLagP95Ms !== undefined && generatorLagP95Ms > MAX_GENERATOR_LAG_P95_MS) {
    reasons.push(
      `load generator saturated: k6's probe woke p95 ${generatorLagP95Ms.toFixed(1)} ms late from 50 ms sleeps (limit ${MAX_GENERATOR_LAG_P95_MS} ms): k6 was short of CPU`,
    );
  }
  for (const p of phases) {
    if (p.droppedIterations <= 0) continue;
    for (const st of p.stages) dropped.add(st);
    const needs = p.stages
      .map((st) => byStage.get(st))
      .flatMap((s) => (s === undefined ? [] : [neededConcurrency(s)]))
      .filter((x): x is number => x !== undefined);
    const need = needs.length > 0 ? Math.max(...needs) : 0;
    const where =
      p.stages.length === 1 ? `stage ${p.stages[0]}` : `stages ${p.stages[0]}..${p.stages[p.stages.length - 1]}`;
    const dropText = `${p.droppedIterations} of ${Math.round(p.plannedArrivals)} arrivals`;
    // every VU existed before the phase began: a drop found each one busy with a request of the target
    const allStarted = p.preAllocatedVus !== undefined && p.preAllocatedVus >= p.maxVus;
    // ...but busy VUs and grown latency are the target's only where k6 had CPU to spare
    const headroom = p.stages.filter((st) => !bound.has(st));
    if (headroom.length < p.stages.length) {
      for (const st of p.stages) limited.add(st);
      if (headroom.length === 0) {
        notes.push(
          `${where}: k6 dropped ${dropText} while it was out of CPU: not evidence about the target (the generator's reason names the stage)`,
        );
        continue;
      }
    }
    if (need >= TARGET_LIMIT_SHARE * p.maxVus || allStarted) {
      for (const st of p.stages) limited.add(st);
      targetLimits.push({
        phase: p.phase,
        stages: headroom,
        maxVus: p.maxVus,
        neededConcurrency: need,
        droppedIterations: p.droppedIterations,
        message:
          need >= TARGET_LIMIT_SHARE * p.maxVus
            ? `${where}: the target needed more than MAX_VUS=${p.maxVus} concurrent requests (about ${round1(need)} in flight at the offered rate: rate × mean latency); k6 dropped ${dropText} (raise MAX_VUS, or this rate is beyond what the target serves)`
            : `${where}: the target needed more than MAX_VUS=${p.maxVus} concurrent requests (all ${p.maxVus} VUs were started before the stage and every one was busy when k6 dropped ${dropText}; the mean latency, ${round1(need)} in flight by rate × mean latency, understates a queue that grew through the stage) (raise MAX_VUS, or this rate is beyond what the target serves)`,
      });
      continue;
    }
    const startup = `${where}: k6 dropped ${dropText} while starting VUs (about ${round1(need)} requests in flight needed, under MAX_VUS=${p.maxVus}: the pre-allocation from the SLO's e2e bound was too small)`;
    if (!p.judged || p.droppedIterations <= Math.max(1, MAX_STARTUP_DROP_SHARE * p.plannedArrivals))
      notes.push(`${startup}; tolerated`);
    else reasons.push(startup);
  }
  for (const s of stages) {
    // the CLI's CPU figures name their stages themselves (lib/shared/generator); the probe alone names the others
    if (!generatorBound.has(s.stage) && (s.probeLagP95Ms ?? 0) > MAX_GENERATOR_LAG_P95_MS)
      (s.judged ? reasons : notes).push(
        `stage ${s.stage}: load generator saturated: k6's probe woke p95 ${(s.probeLagP95Ms ?? 0).toFixed(1)} ms late from 50 ms sleeps in this stage (limit ${MAX_GENERATOR_LAG_P95_MS} ms): the generator, not the target, was the limit; add INSTANCES or cores`,
      );
    if (bound.has(s.stage)) continue;
    // a trace replay records how late each request left its own schedule (it has no offered rate)
    if (s.offeredRps === undefined && s.startLagP95Ms !== undefined && s.startLagP95Ms > MAX_START_LAG_P95_MS) {
      reasons.push(
        `stage ${s.stage}: the trace's schedule was not kept: requests left p95 ${s.startLagP95Ms.toFixed(1)} ms after their arrival times (limit ${MAX_START_LAG_P95_MS} ms): every VU was busy (raise MAX_VUS) or k6 was short of CPU`,
      );
    }
    if (
      s.offeredRps === undefined ||
      !s.completed ||
      s.stage === 'warmup' ||
      limited.has(s.stage) ||
      bound.has(s.stage)
    )
      continue;
    const expected = s.offeredRps * s.durationS;
    // arrival-rate executors round to whole iterations: allow one
    if (!tracked.has(s.stage) && s.requests + 1 < MIN_ACHIEVED_RATIO * expected) {
      reasons.push(
        `stage ${s.stage}: achieved ${s.achievedRps.toFixed(2)} rps, under ${MIN_ACHIEVED_RATIO * 100} % of the offered ${s.offeredRps.toFixed(2)} rps (${s.requests} of ${Math.round(expected)} requests)`,
      );
    }
    if (!dropped.has(s.stage) && s.startLagP95Ms !== undefined && s.startLagP95Ms > MAX_START_LAG_P95_MS) {
      reasons.push(
        `stage ${s.stage}: load generator saturated: iterations that had a free VU started p95 ${s.startLagP95Ms.toFixed(1)} ms behind the arrival plan (limit ${MAX_START_LAG_P95_MS} ms)`,
      );
    }
  }
  const total = phases.reduce((a, p) => a + p.droppedIterations, 0);
  return {
    valid: reasons.length === 0,
    reasons,
    notes,
    targetLimits,
    droppedIterations: total,
    phases: [...phases],
    ...(generatorLagP95Ms === undefined ? {} : { generatorLagP95Ms }),
  };
}
