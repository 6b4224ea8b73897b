// One k6 iteration: find the phase, wait for the planned arrival (Poisson or
// gamma on a constant rate, or the trace's own time), pick the request of the
// workload file this iteration sends, and hand it to the Go client, which
// sends it, reads the answer and records its samples (k6/x/genload). Nothing
// here runs per SSE event or per sample.

import { TAG, TREND } from '../../shared/metrics.ts';
import { stageFor } from '../../shared/plan/phase.ts';
import { GENERATOR_PROBE, PROBE_SLEEP_MS } from '../plan/options.ts';
import type { RunContext, SendFailure } from './context.ts';
import { warn } from '../runtime/log.ts';

export interface Position {
  scenario: string;
  /** epoch ms the k6 scenario started */
  readonly scenarioStartMs: number;
  iteration: number;
}

/** Records samples under base tags (the probe VU's; every request's samples, its start lag included, are recorded in Go). */
export type Recorder = (
  samples: ReadonlyArray<{ metric: string; value: number }>,
  tags: Readonly<Record<string, string>>,
) => void;

const NO_TAGS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * The stage running `elapsedS` after the test's start (the last one begun, when
 * phases overlap); undefined between or after stages.
 */
export function stageAt(spans: RunContext['stageSpans'], elapsedS: number): string | undefined {
  let found: string | undefined;
  for (const s of spans) if (elapsedS >= s.startS && elapsedS < s.endS) found = s.stage;
  return found;
}

/**
 * The load generator's own health: how late one VU wakes from a short sleep (k6
 * short of CPU, or its scheduler stalled). Each sample is tagged with the stage
 * it fell in, so the judgement reads the lag per stage; the probe scenario
 * starts with the test, so its start is the test's.
 */
function probeGenerator(ctx: RunContext, pos: Position, record: Recorder): void {
  const c = ctx.clock;
  const from = c.nowMs();
  c.sleepMs(PROBE_SLEEP_MS);
  const now = c.nowMs();
  const stage = stageAt(ctx.stageSpans, (from - pos.scenarioStartMs) / 1000);
  record(
    [{ metric: TREND.generatorLagMs, value: Math.max(0, now - from - PROBE_SLEEP_MS) }],
    stage === undefined ? NO_TAGS : { [TAG.stage]: stage },
  );
}

/** Logged failures per VU: enough to diagnose, never a flood. */
const MAX_LOGGED_FAILURES = 3;
let loggedFailures = 0;

export interface IterationResult {
  /** the probe VU's iteration sends no request */
  sent: boolean;
  /** workload index of the request sent */
  index?: number;
  failure?: SendFailure;
}

/** Runs one iteration; what it sent and, when the request failed, how. */
export function runIteration(
  ctx: RunContext,
  pos: Position,
  record: Recorder,
  log: (line: string) => void = warn,
): IterationResult {
  if (pos.scenario === GENERATOR_PROBE) {
    probeGenerator(ctx, pos, record);
    return { sent: false };
  }
  const entry = ctx.phases.get(pos.scenario);
  if (entry === undefined) throw new Error(`scenario: '${pos.scenario}' is not a phase of this plan`);
  const { phase, schedule, block } = entry;
  const c = ctx.clock;
  // compare-plan repeats the same request for all its warm-up and measured sends
  const key =
    phase.perPrompt === undefined
      ? pos.iteration
      : Math.floor(pos.iteration / (phase.perPrompt.warmup + phase.perPrompt.measured));
  const index = block.from + (key % block.count);

  let lagMs: number | undefined;
  if (schedule !== undefined) {
    const delayS = schedule.delaySeconds(pos.iteration);
    if (delayS > 0) c.sleepMs(delayS * 1000);
    lagMs = Math.max(0, c.nowMs() - (pos.scenarioStartMs + schedule.plannedSendSeconds(pos.iteration) * 1000));
  } else if (phase.trace === true) {
    const atMs = ctx.store.atMs(index) ?? 0;
    const dueMs = pos.scenarioStartMs + atMs;
    const waitMs = dueMs - c.nowMs();
    if (waitMs > 0) c.sleepMs(waitMs);
    lagMs = Math.max(0, c.nowMs() - dueMs);
  }

  // the clock and the scenario start only matter for windowed stages (each read calls into Go in k6)
  const elapsedS = phase.windowS === undefined ? 0 : (c.nowMs() - pos.scenarioStartMs) / 1000;
  const stage = stageFor(phase, pos.iteration, elapsedS);

  const client = ctx.client;
  if (client === undefined) throw new Error('run context: the request client is not set (init context)');
  // one call into Go per request: the start lag travels with it
  const failure = lagMs === undefined ? client.send(index, stage) : client.send(index, stage, lagMs);
  if (failure !== undefined && loggedFailures < MAX_LOGGED_FAILURES) {
    loggedFailures += 1;
    log(`genload: ${failure.class} request ${index} failed (${failure.errorClass}): ${failure.error}`);
  }
  return failure === undefined ? { sent: true, index } : { sent: true, index, failure };
}
