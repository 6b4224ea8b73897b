// Every scenario as data: which traffic it sends, in which mode, and its load
// shape. The CLI computes a run's plan from it (to build the workload file
// before k6 starts) and each scenarios/<name>.ts file hands the same entry to
// defineScenario, so both sides plan the same phases. Pure.

import type { TrafficClass } from './metrics.ts';
import type { TargetApi } from './run-config.ts';
import type { LoadConfig } from './run-config.ts';
import type { Workload } from './workload/defaults.ts';
import type { Plan } from './plan/phase.ts';
import {
  breakpointPlan,
  capacityPlan,
  closedPlan,
  comparePlan,
  concurrencyPlan,
  rampPlan,
  soakPlan,
  spikePlan,
  steadyPlan,
  stressPlan,
  tracePlan,
  type ShapeInput,
} from './plan/shapes.ts';
import { APIS, canStream, llmShareFor, type ScenarioTraffic } from './targets/apis.ts';

export interface ScenarioDef {
  /** which traffic the scenario sends; auto = LLM if the target can, else image (or workload.trafficClass); any = both when the target can; capacity = mixed when the target carries both, unless trafficClass says */
  traffic: ScenarioTraffic | 'capacity';
  mode: 'request' | 'job';
  /** streaming forced on (llm-stream) */
  stream?: true;
  shape: (input: ShapeInput) => Plan;
  /** the SLO profile when none is given, if not each class's default (lib/shared/slo/defaults.ts) */
  defaultSlo?: string;
}

export const SCENARIOS = {
  // smoke asks "does it answer, with every metric": ci-smoke's loose bounds and one request a class, since a few
  // seconds of one or two VUs cannot reach interactive-chat's 10 requests
  smoke: {
    traffic: 'any',
    mode: 'request',
    defaultSlo: 'ci-smoke',
    shape: (input) => closedPlan(input, Math.min(input.load.vus, 2)),
  },
  'llm-stream': { traffic: 'llm', mode: 'request', stream: true, shape: steadyPlan },
  diffusion: { traffic: 'image', mode: 'request', shape: steadyPlan },
  mixed: { traffic: 'mixed', mode: 'request', shape: steadyPlan },
  'async-jobs': { traffic: 'auto', mode: 'job', shape: steadyPlan },
  ramp: { traffic: 'auto', mode: 'request', shape: rampPlan },
  breakpoint: { traffic: 'auto', mode: 'request', shape: breakpointPlan },
  concurrency: { traffic: 'auto', mode: 'request', shape: concurrencyPlan },
  spike: { traffic: 'auto', mode: 'request', shape: spikePlan },
  stress: { traffic: 'auto', mode: 'request', shape: stressPlan },
  soak: { traffic: 'auto', mode: 'request', shape: soakPlan },
  'compare-plan': { traffic: 'auto', mode: 'request', shape: comparePlan },
  capacity: { traffic: 'capacity', mode: 'request', shape: capacityPlan },
  trace: { traffic: 'auto', mode: 'request', shape: tracePlan },
} as const satisfies Record<string, ScenarioDef>;

export type ScenarioName = keyof typeof SCENARIOS;

export function isScenarioName(name: string): name is ScenarioName {
  return Object.prototype.hasOwnProperty.call(SCENARIOS, name);
}

export function scenarioDef(name: string): ScenarioDef {
  const def = (SCENARIOS as Record<string, ScenarioDef | undefined>)[name];
  if (def === undefined)
    throw new Error(`scenario: must be one of ${Object.keys(SCENARIOS).join(', ')}, but is '${name}'`);
  return def;
}

export interface PlannedRun {
  plan: Plan;
  llmShare: number;
  /** the workload with the scenario's forced settings (llm-stream streams) */
  workload: Workload;
}

/** The traffic a scenario sends to this API with this workload (capacity: mixed when the target carries both classes). */
function trafficOf(def: ScenarioDef, api: TargetApi, workload: Workload): ScenarioTraffic {
  if (def.traffic !== 'capacity') return def.traffic;
  if (workload.trafficClass !== 'auto') return workload.trafficClass;
  return APIS[api].classes.length > 1 ? 'mixed' : 'auto';
}

/** The classes a run of this scenario sends to this API, in TRAFFIC_CLASSES order; [] when the API cannot carry the traffic. */
export function classesSent(name: string, api: TargetApi, workload: Workload): TrafficClass[] {
  const def = scenarioDef(name);
  let llmShare: number;
  try {
    llmShare = llmShareFor(api, trafficOf(def, api, workload), workload.trafficClass, workload.classMix);
  } catch {
    return [];
  }
  return [...(llmShare > 0 ? (['llm'] as const) : []), ...(llmShare < 1 ? (['image'] as const) : [])];
}

/** Whether this scenario's LLM answers from this API are streamed (llm-stream forces it; the API must have a streamed route). */
export function streamsLlm(name: string, api: TargetApi, workload: Workload): boolean {
  return (scenarioDef(name).stream === true || workload.stream) && canStream(api);
}

/** Whether this API's image answers give a per-step time (the reference server's and the APIs that echo the request's steps; OpenAI's images API does not). */
export function imageStepsTimed(api: TargetApi): boolean {
  const image = APIS[api].routes.image;
  return image !== undefined && image.answer !== 'openai-images';
}

/** The plan of a run: the scenario's shape for this API, load and workload. */
export function planRun(
  name: string,
  api: TargetApi,
  load: LoadConfig,
  workload: Workload,
  trace?: ShapeInput['trace'],
): PlannedRun {
  const def = scenarioDef(name);
  const effective: Workload = def.stream === true ? { ...workload, stream: true } : workload;
  const llmShare = llmShareFor(api, trafficOf(def, api, effective), effective.trafficClass, effective.classMix);
  const plan = def.shape({
    load,
    workload: effective,
    llmShare,
    mode: def.mode,
    ...(trace === undefined ? {} : { trace }),
  });
  return { plan, llmShare, workload: effective };
}
