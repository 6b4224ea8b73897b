// Wires a scenario: reads the config and the run's workload file (init
// context), plans the scenario's phases (lib/shared/scenarios.ts, the same plan
// the CLI built the workload for), builds the k6 options and the Go client,
// and returns the three exports every scenario file re-exports.
//   const s = defineScenario('ramp');
//   export const options = s.options; export default s.iteration; export const handleSummary = s.handleSummary;

import type { Options } from 'k6/options';
import { K6_CONFIG_ERROR_PREFIX } from '../../shared/exit-codes.ts';
import type { Plan } from '../../shared/plan/phase.ts';
import { planRun, type ScenarioName, scenarioDef } from '../../shared/scenarios.ts';
import { withWorkloadDefaults } from '../../shared/workload/defaults.ts';
import { readApiKey, readBasicAuth, readRunConfig } from '../config.ts';
import { requestShortfalls } from '../plan/feasibility.ts';
import { buildOptions, type BuiltOptions } from '../plan/options.ts';
import { clientFor, k6Clock, openWorkload, position, recordSamples } from '../runtime/k6.ts';
import { summaryHandler } from '../summary/handle.ts';
import type { K6SummaryData } from '../summary/build.ts';
import { clientSpec } from './client.ts';
import { buildRunContext, workloadProblems, type RunContext } from './context.ts';
import { runIteration, type IterationResult } from './iteration.ts';

export interface DefinedScenario {
  options: Options;
  iteration: () => void;
  handleSummary: (data: K6SummaryData) => Record<string, string>;
  plan: Plan;
  built: BuiltOptions;
  ctx: RunContext;
  /** one iteration, with what it sent (scenarios with their own bookkeeping, e.g. capacity) */
  step: () => IterationResult;
}

export function defineScenario(name: ScenarioName): DefinedScenario {
  const config = readRunConfig();
  const store = openWorkload(config);
  const trace = store.header.trace ? { requests: store.count, lastAtMs: store.atMs(store.count - 1) ?? 0 } : undefined;
  const { plan, workload } = planRun(
    name,
    config.target.api,
    config.load,
    withWorkloadDefaults(config.workload),
    trace,
  );
  const problems = workloadProblems(store.header, plan, config.target.api);
  if (problems.length > 0) throw new Error(`${K6_CONFIG_ERROR_PREFIX}${problems.join('; ')}`);
  const ctx = buildRunContext(config, workload, plan, store, k6Clock);
  // a stage that cannot pass by construction: refuse the plan before any load is sent
  const shortfalls = requestShortfalls(plan, ctx.slo);
  if (shortfalls.length > 0) throw new Error(`${K6_CONFIG_ERROR_PREFIX}${shortfalls.join('; ')}`);
  const built = buildOptions(plan, config.load, ctx.slo);
  ctx.client = clientFor(
    store,
    clientSpec(config, workload, scenarioDef(name).mode, ctx.perRequest, readApiKey(), readBasicAuth()),
    ctx.counted,
  );
  const step = (): IterationResult => runIteration(ctx, position(), recordSamples);
  return {
    options: built.options,
    iteration: () => void step(),
    handleSummary: summaryHandler(plan, built.compiled, ctx.slo.name),
    plan,
    built,
    ctx,
    step,
  };
}
