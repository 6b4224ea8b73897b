// One k6 iteration: find the phase, wait for the planned arrival (Poisson or
// gamma), sample the request from the seeded workload, send it through the
// target, record its samples with stage and class tags.

import { mixSeed, seededUniform } from '../../shared/stats/random.ts';
import { TAG, TREND } from '../../shared/metrics.ts';
import { sampleClass, sampleWork } from '../../shared/workload/sample.ts';
import { samplesOf, type Sample } from '../metrics/samples.ts';
import { stageFor } from '../plan/phase.ts';
import { submitAndPoll } from '../targets/reference-jobs.ts';
import type { Outcome } from '../targets/types.ts';
import type { RunContext } from './context.ts';
import { warn } from '../runtime/log.ts';

export interface Position {
  scenario: string;
  scenarioStartMs: number;
  iteration: number;
}

export type Recorder = (samples: readonly Sample[], tags: Readonly<Record<string, string>>) => void;

/** Logged failures per VU: enough to diagnose, never a flood. */
const MAX_LOGGED_FAILURES = 3;
let loggedFailures = 0;

export function runIteration(ctx: RunContext, pos: Position, record: Recorder, log: (line: string) => void = warn): Outcome {
  const entry = ctx.phases.get(pos.scenario);
  if (entry === undefined) throw new Error(`scenario: '${pos.scenario}' is not a phase of this plan`);
  const { phase, schedule, index } = entry;
  const t = ctx.transport;

  let lagMs: number | undefined;
  if (schedule !== undefined) {
    const delayS = schedule.delaySeconds(pos.iteration);
    if (delayS > 0) t.sleepMs(delayS * 1000);
    lagMs = Math.max(0, t.nowMs() - (pos.scenarioStartMs + schedule.plannedSendSeconds(pos.iteration) * 1000));
  }

  const elapsedS = (t.nowMs() - pos.scenarioStartMs) / 1000;
  const stage = stageFor(phase, pos.iteration, elapsedS);
  // compare-plan repeats the same prompt (seed) for all its warm-up and measured requests
  const requestKey = phase.perPrompt === undefined ? pos.iteration : Math.floor(pos.iteration / (phase.perPrompt.warmup + phase.perPrompt.measured));
  const u = seededUniform(mixSeed(ctx.config.load.seed, index, requestKey));
  const cls = sampleClass(u, phase.llmShare);
  const work = sampleWork(u, ctx.workload, cls);
  const tags = { [TAG.stage]: stage, [TAG.class]: cls };
  if (lagMs !== undefined) {
    record([{ metric: TREND.startLagMs, value: lagMs }], { [TAG.stage]: stage });
  }

  const targetCtx = {
    baseUrl: ctx.config.target.url.replace(/\/+$/, ''),
    model: ctx.config.target.model,
    headers: ctx.headers,
    tags,
    timeoutMs: ctx.workload.timeoutSeconds * 1000,
    workload: ctx.workload,
    transport: t,
  };
  const outcome = phase.mode === 'job' ? submitAndPoll(work, targetCtx) : ctx.target.send(work, targetCtx);
  record(samplesOf(outcome, ctx.perRequest[cls]), tags);
  if (!outcome.ok && loggedFailures < MAX_LOGGED_FAILURES) {
    loggedFailures += 1;
    log(`genload: ${cls} request failed (${outcome.errorClass}): ${outcome.error ?? ''}`);
  }
  return outcome;
}
