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
import { readApiKey, readBasicAuth, readRunConfig } from '../lib/k6/config.ts';
import { buildOptions, classesOf, GENERATOR_PROBE } from '../lib/k6/plan/options.ts';
import type { Phase, Plan } from '../lib/shared/plan/phase.ts';
import { buildRunContext, llmShareFor } from '../lib/k6/run/context.ts';
import { runIteration } from '../lib/k6/run/iteration.ts';
import { k6Transport, nativeRunnerFor, position, recorderFor } from '../lib/k6/runtime/k6.ts';
import { summaryHandler } from '../lib/k6/summary/handle.ts';
import type { K6SummaryData } from '../lib/k6/summary/build.ts';
import { targetFor } from '../lib/k6/targets/registry.ts';
import { COMPLETED_IN_WINDOW, MEASURE_HALVES, MEASURE_STAGE, STARTED_IN_WINDOW, extractStep, stepThresholds } from '../lib/shared/capacity/extract.ts';
import { withWorkloadDefaults } from '../lib/shared/workload/defaults.ts';
import type { Slo } from '../lib/shared/slo/schema.ts';

const config = readRunConfig();
const load = config.load;
const workload = withWorkloadDefaults(config.workload);
const target = targetFor(config.target.api);
// trafficClass 'auto' on a target that carries both classes (the reference server) means the mixed workload
const llmShare = llmShareFor(target, workload.trafficClass !== 'auto' ? workload.trafficClass : target.classes.length > 1 ? 'mixed' : 'auto', workload);

const halfS = load.durationSeconds / 2;
// LOAD_MODEL=closed: the step holds load.concurrency[0] requests in flight instead of offering a rate
const concurrency = load.concurrency?.[0];
const phase = (name: string, stage: string, startS: number, durationS: number, judged: boolean): Phase => ({
  name,
  stage,
  startS,
  judged,
  llmShare,
  mode: 'request',
  executor: concurrency === undefined ? { kind: 'constant-arrival-rate', rateRps: load.rateRps, durationS } : { kind: 'constant-vus', vus: concurrency, durationS },
});
const plan: Plan = {
  abortable: false,
  phases: [
    ...(load.warmupSeconds > 0 ? [phase('warmup', 'warmup', 0, load.warmupSeconds, false)] : []),
    phase(MEASURE_HALVES[0], MEASURE_STAGE, load.warmupSeconds, halfS, true),
    phase(MEASURE_HALVES[1], MEASURE_STAGE, load.warmupSeconds + halfS, halfS, true),
  ],
};

const slo = (config.slo ?? null) as Slo | null;
const built = buildOptions(plan, load, slo);
// Requests still running this long after their phase ends are cut: a step must
// not wait out a long queue (what is cut never completed inside the window anyway).
const gracefulStop = `${Math.round(Math.min(30, Math.max(2, halfS)) * 1000)}ms`;
for (const [name, s] of Object.entries(built.options.scenarios ?? {})) {
  if (name === GENERATOR_PROBE) continue;
  Object.assign(s, { gracefulStop }, concurrency === undefined ? { preAllocatedVUs: Math.min(load.vus, load.maxVus), maxVUs: load.maxVus } : {});
}
export const options: Options = { ...built.options, thresholds: { ...built.options.thresholds, ...stepThresholds() } as Options['thresholds'] };

const ctx = buildRunContext(config, plan, readApiKey(), k6Transport, readBasicAuth());
const record = recorderFor(ctx.counted);
ctx.native = nativeRunnerFor(ctx);
const completedInWindow = new Counter(COMPLETED_IN_WINDOW);
const startedInWindow = new Counter(STARTED_IN_WINDOW);
const measurePhases: readonly string[] = MEASURE_HALVES;

export default function capacityStep(): void {
  const pos = position();
  if (pos.scenario === GENERATOR_PROBE) return void runIteration(ctx, pos, record);
  if (measurePhases.includes(pos.scenario)) startedInWindow.add(1);
  const outcome = runIteration(ctx, pos, record);
  // Throughput: successful responses that arrive inside the measurement window, whichever phase sent them.
  const phaseStartS = ctx.phases.get(pos.scenario)?.phase.startS ?? 0;
  const testStartMs = pos.scenarioStartMs - phaseStartS * 1000;
  const sinceMeasureS = (Date.now() - testStartMs) / 1000 - load.warmupSeconds;
  // undefined: sent and recorded by the runner in Go, a success
  if ((outcome === undefined || outcome.ok) && sinceMeasureS >= 0 && sinceMeasureS < load.durationSeconds) completedInWindow.add(1);
}

const summarize = summaryHandler(plan, built.compiled, slo?.name ?? 'default');

export function handleSummary(data: K6SummaryData): Record<string, string> {
  const step = extractStep(data.metrics, {
    offeredRps: concurrency ?? load.rateRps,
    ...(concurrency === undefined ? {} : { concurrency }),
    measureSeconds: load.durationSeconds,
    classes: classesOf(plan),
    sloKeys: Object.keys(built.compiled.thresholds),
  });
  return { ...summarize(data), [`${config.runDir}/step.json`]: `${JSON.stringify(step, null, 2)}\n` };
}
