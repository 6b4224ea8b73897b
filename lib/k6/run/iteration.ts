// One k6 iteration: find the phase, wait for the planned arrival (Poisson or
// gamma), sample the request from the seeded workload, send it through the
// target, record its samples with stage and class tags. With the run's Go
// runner (native.ts) sampling, sending and recording happen in Go, and only
// what the runner hands back is finished here by the target's code.

import { TREND } from '../../shared/metrics.ts';
import type { WorkItem } from '../../shared/workload/sample.ts';
import { samplesOf, type Sample } from '../metrics/samples.ts';
import { stageFor } from '../../shared/plan/phase.ts';
import { GENERATOR_PROBE, PROBE_SLEEP_MS } from '../plan/options.ts';
import { submitAndPoll } from '../targets/reference-jobs.ts';
import type { Outcome } from '../targets/types.ts';
import type { PerRequestLimits } from '../../shared/slo/schema.ts';
import type { HttpReply } from '../transport/types.ts';
import { requestContext, sampleRequest, type RunContext } from './context.ts';
import { replayContext } from './native.ts';
import { warn } from '../runtime/log.ts';

export interface Position {
  scenario: string;
  /** epoch ms the k6 scenario started */
  readonly scenarioStartMs: number;
  iteration: number;
}

/** Adds samples with base tags (stage, class) under each sample's own tags. */
export interface Recorder {
  (samples: readonly Sample[], tags: Readonly<Record<string, string>>): void;
  /**
   * When set: records one request's samples straight from its Outcome, exactly
   * what samplesOf(outcome, perRequest, ctx.counted) would give (runtime/k6.ts
   * does it in Go, for the run context's counted Trends).
   */
  outcome?: (outcome: Outcome, perRequest: PerRequestLimits | undefined, tags: Readonly<Record<string, string>>) => void;
}

const NO_TAGS: Readonly<Record<string, string>> = Object.freeze({});

/** The load generator's own health: how late one VU wakes from a short sleep (k6 short of CPU, or its scheduler stalled). */
function probeGenerator(ctx: RunContext, record: Recorder): void {
  const t = ctx.transport;
  const from = t.nowMs();
  t.sleepMs(PROBE_SLEEP_MS);
  record([{ metric: TREND.generatorLagMs, value: Math.max(0, t.nowMs() - from - PROBE_SLEEP_MS) }], NO_TAGS);
}

/** Logged failures per VU: enough to diagnose, never a flood. */
const MAX_LOGGED_FAILURES = 3;
let loggedFailures = 0;

/**
 * Runs one iteration. The Outcome of the request, or undefined when the run
 * context's runner (native.ts) sent and recorded it in Go: a success, of which
 * no Outcome object was built.
 */
export function runIteration(ctx: RunContext, pos: Position, record: Recorder, log: (line: string) => void = warn): Outcome | undefined {
  if (pos.scenario === GENERATOR_PROBE) {
    probeGenerator(ctx, record);
    return undefined;
  }
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

  // the clock and the scenario start only matter for windowed stages (each read calls into Go in k6)
  const elapsedS = phase.windowS === undefined ? 0 : (t.nowMs() - pos.scenarioStartMs) / 1000;
  const stage = stageFor(phase, pos.iteration, elapsedS);
  // compare-plan repeats the same prompt (seed) for all its warm-up and measured requests
  const requestKey = phase.perPrompt === undefined ? pos.iteration : Math.floor(pos.iteration / (phase.perPrompt.warmup + phase.perPrompt.measured));
  if (lagMs !== undefined) {
    // stage tags only (start lag is the load generator's, not a class's): any class's context has the same ones
    record([{ metric: TREND.startLagMs, value: lagMs }], requestContext(ctx, stage, 'llm').stageTags);
  }

  let work: WorkItem;
  let reply: HttpReply | undefined;
  if (phase.mode !== 'job' && ctx.native !== undefined) {
    const handOver = ctx.native.next(index, requestKey, phase.llmShare, stage);
    if (handOver === undefined) return undefined;
    work = handOver.work;
    reply = handOver.reply;
  } else {
    work = sampleRequest(ctx, index, requestKey, phase.llmShare);
  }
  const cls = work.class;
  const rc = requestContext(ctx, stage, cls);
  const outcome = phase.mode === 'job' ? submitAndPoll(work, rc.target) : ctx.target.send(work, reply === undefined ? rc.target : replayContext(rc.target, reply));
  if (record.outcome !== undefined) record.outcome(outcome, ctx.perRequest[cls], rc.tags);
  else record(samplesOf(outcome, ctx.perRequest[cls], ctx.counted), rc.tags);
  if (!outcome.ok && loggedFailures < MAX_LOGGED_FAILURES) {
    loggedFailures += 1;
    log(`genload: ${cls} request failed (${outcome.errorClass}): ${outcome.error ?? ''}`);
  }
  return outcome;
}
