// capacity: ONE step of the capacity search (`make capacity`, lib/cli/capacity).
// An open-model constant arrival rate at config.load.rateRps: a warm-up phase
// (stage warmup, never judged), then the measurement window split in two
// halves (k6 scenarios measure-a and measure-b, both stage measure) so a
// latency that keeps rising through the window shows up as queue growth.
// The request kind follows the workload's traffic class and the target API
// (llm, image or mixed). handleSummary writes the usual summary.json plus
// step.json: the measurement the search judges (lib/shared/capacity/extract.ts).
//
// VUs: config.load.vus is the pre-allocation per phase, config.load.maxVus the cap
// (the driver sizes them from the previous step's latency).

import type { Options } from 'k6/options';
import { Counter } from 'k6/metrics';
import { classesOf, GENERATOR_PROBE } from '../lib/k6/plan/options.ts';
import { phaseDurationS } from '../lib/shared/plan/phase.ts';
import { defineScenario } from '../lib/k6/run/define.ts';
import { position } from '../lib/k6/runtime/k6.ts';
import type { K6SummaryData } from '../lib/k6/summary/build.ts';
import {
  COMPLETED_IN_WINDOW,
  MEASURE_HALVES,
  STARTED_IN_WINDOW,
  extractStep,
  stepThresholds,
} from '../lib/shared/capacity/extract.ts';

const s = defineScenario('capacity');
const { ctx, plan, built } = s;
const load = ctx.config.load;
const halfS = load.durationSeconds / 2;
// LOAD_MODEL=closed: the step holds load.concurrency[0] requests in flight instead of offering a rate
const concurrency = load.concurrency?.[0];

// Requests still running this long after their phase ends are cut: a step must
// not wait out a long queue (what is cut never completed inside the window anyway).
const gracefulStopS = Math.min(30, Math.max(2, halfS));
// Closed model: a phase that hands over to the next one lets its requests run on until the
// step's own end (the last phase's end plus its stop), never longer: cutting them at the
// hand-over wastes the target's work inside the window and reads as less throughput (a
// 128-in-flight probe of a 40 rps target read 36 rps with the short stop at each hand-over).
const stepEndS = Math.max(...plan.phases.map((p) => p.startS + phaseDurationS(p)));
const stopOf = (name: string): string => {
  const p = plan.phases.find((x) => x.name === name);
  const untilEndS = p === undefined || concurrency === undefined ? 0 : stepEndS - (p.startS + phaseDurationS(p));
  return `${Math.round((gracefulStopS + untilEndS) * 1000)}ms`;
};
for (const [name, sc] of Object.entries(built.options.scenarios ?? {})) {
  if (name === GENERATOR_PROBE) continue;
  Object.assign(
    sc,
    { gracefulStop: stopOf(name) },
    concurrency === undefined ? { preAllocatedVUs: Math.min(load.vus, load.maxVus), maxVUs: load.maxVus } : {},
  );
}

const completedInWindow = new Counter(COMPLETED_IN_WINDOW);
const startedInWindow = new Counter(STARTED_IN_WINDOW);
const measurePhases: readonly string[] = MEASURE_HALVES;
const phaseStartS = new Map(plan.phases.map((p) => [p.name, p.startS]));

// the report-only thresholds that make k6 compute the per-half sub-metrics the step reads (halves' medians, drops)
export const options: Options = {
  ...built.options,
  thresholds: { ...built.options.thresholds, ...stepThresholds() } as Options['thresholds'],
};

export default function (): void {
  const result = s.step();
  if (!result.sent) return;
  const pos = position();
  if (measurePhases.includes(pos.scenario)) startedInWindow.add(1);
  // Throughput: successful responses that arrive inside the measurement window, whichever phase sent them.
  const testStartMs = pos.scenarioStartMs - (phaseStartS.get(pos.scenario) ?? 0) * 1000;
  const sinceMeasureS = (Date.now() - testStartMs) / 1000 - load.warmupSeconds;
  if (result.failure === undefined && sinceMeasureS >= 0 && sinceMeasureS < load.durationSeconds)
    completedInWindow.add(1);
}

const summarize = s.handleSummary;

export function handleSummary(data: K6SummaryData): Record<string, string> {
  const step = extractStep(data.metrics, {
    offeredRps: concurrency ?? load.rateRps,
    ...(concurrency === undefined ? {} : { concurrency }),
    measureSeconds: load.durationSeconds,
    classes: classesOf(plan),
    conditions: built.compiled.conditions,
  });
  return { ...summarize(data), [`${ctx.config.runDir}/step.json`]: `${JSON.stringify(step, null, 2)}\n` };
}
