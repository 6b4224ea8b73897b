// Wires a scenario: reads the config (init context), builds the plan and the
// k6 options, and returns the three exports every scenario file re-exports.
//   const s = defineScenario('llm', (input) => steadyPlan(input));
//   export const options = s.options; export default s.iteration; export const handleSummary = s.handleSummary;

import type { Options } from 'k6/options';
import type { Slo } from '../../shared/slo/schema.ts';
import { readApiKey, readBasicAuth, readRunConfig } from '../config.ts';
import { K6_CONFIG_ERROR_PREFIX } from '../../shared/exit-codes.ts';
import { requestShortfalls } from '../plan/feasibility.ts';
import { buildOptions } from '../plan/options.ts';
import type { Plan } from '../../shared/plan/phase.ts';
import type { ShapeInput } from '../../shared/plan/shapes.ts';
import { k6Transport, nativeRunnerFor, position, recorderFor } from '../runtime/k6.ts';
import { summaryHandler } from '../summary/handle.ts';
import type { K6SummaryData } from '../summary/build.ts';
import { buildRunContext, llmShareFor } from './context.ts';
import { runIteration } from './iteration.ts';

export interface DefinedScenario {
  options: Options;
  iteration: () => void;
  handleSummary: (data: K6SummaryData) => Record<string, string>;
  plan: Plan;
}

export interface ScenarioTraits {
  /** which traffic the scenario sends; auto = LLM if the target can, else image (or workload.trafficClass); any = both when the target can */
  traffic: 'llm' | 'image' | 'mixed' | 'auto' | 'any';
  mode?: 'request' | 'job';
  /** streaming forced on (llm-stream) */
  stream?: boolean;
}

export function defineScenario(traits: ScenarioTraits, shape: (input: ShapeInput) => Plan): DefinedScenario {
  const config = readRunConfig();
  const workload = { ...config.workload, ...(traits.stream === undefined ? {} : { stream: traits.stream }) };
  const effective = { ...config, workload };
  const probe = buildRunContext(effective, { phases: [], abortable: false }, undefined, k6Transport);
  const llmShare = llmShareFor(probe.target, traits.traffic, probe.workload);
  const plan = shape({ load: config.load, workload: probe.workload, llmShare, mode: traits.mode ?? 'request' });
  const ctx = buildRunContext(effective, plan, readApiKey(), k6Transport, readBasicAuth());
  // a stage that cannot pass by construction: refuse the plan before any load is sent
  const shortfalls = requestShortfalls(plan, ctx.slo);
  if (shortfalls.length > 0) throw new Error(`${K6_CONFIG_ERROR_PREFIX}${shortfalls.join('; ')}`);
  const built = buildOptions(plan, config.load, ctx.slo);
  const sloName = ctx.slo?.name ?? 'default';
  const record = recorderFor(ctx.counted);
  ctx.native = nativeRunnerFor(ctx);
  return {
    options: built.options,
    iteration: () => void runIteration(ctx, position(), record),
    handleSummary: summaryHandler(plan, built.compiled, sloName),
    plan,
  };
}
