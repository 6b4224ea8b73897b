// The plan of `genload capacity`: the run plan (lib/cli/run-plan) with the
// capacity defaults for a step's load and the workload class SCENARIO names,
// the capacity settings (settings.ts) and the stepper's bounds, all validated
// together so every problem is reported at once.
// SCENARIO names the workload the steps send: llm-stream (LLM, streamed),
// diffusion (images), mixed or capacity (both classes when the API carries both).

import type { StepperConfig } from './stepper.ts';
import type { LoadConfig } from '../../shared/run-config.ts';
import type { Workload } from '../../shared/workload/defaults.ts';
import { ConfigError } from '../errors.ts';
import type { RunPlan } from '../run-plan/plan.ts';
import { collectRun, type Env, type Flags } from '../run-plan/resolve.ts';
import { resolveCapacitySettings, type CapacitySettings } from './settings.ts';

export interface CapacityRunPlan {
  /** the run plan; its load is one step's (rate and VUs are set per step) and its workload carries the traffic class */
  readonly run: RunPlan;
  readonly settings: CapacitySettings;
  readonly stepper: StepperConfig;
  /** open: the search varies an arrival rate; closed (LOAD_MODEL=closed): a concurrency */
  readonly loadModel: 'open' | 'closed';
  /** a step's warm-up, and its measurement window: DURATION at most, down to minSeconds where latency is stable */
  readonly window: { warmupSeconds: number; minSeconds: number; maxSeconds: number };
  /** open model: the throughput probe run first; null when PROBE_CONCURRENCY=0 or closed */
  readonly probe: { concurrency: number; warmupSeconds: number; durationSeconds: number } | null;
}

/**
 * Shortest measurement window, as a share of DURATION (and never under 2 s): a
 * window too short to let a slowly growing queue show is no evidence, and
 * confirmations run the full DURATION anyway.
 */
const MIN_WINDOW_SHARE = 0.25;
const MIN_WINDOW_SECONDS = 2;

/** Workload class each scenario name stands for in a capacity search. */
const WORKLOAD_OF: Readonly<Record<string, { trafficClass: Workload['trafficClass']; stream?: boolean }>> = {
  'llm-stream': { trafficClass: 'llm', stream: true },
  diffusion: { trafficClass: 'image' },
  mixed: { trafficClass: 'auto' },
  capacity: { trafficClass: 'auto' },
};

/** Step timing and search bounds when neither Make variables nor environment set them. */
const CAPACITY_LOAD_DEFAULTS = { durationSeconds: 10, warmupSeconds: 3, rateRps: 1, maxRateRps: 1000 } as const;

/** Throws one ConfigError listing every problem of the load knobs and the capacity settings. */
export function resolveCapacityRun(flags: Flags, env: Env): CapacityRunPlan {
  const withScenario = { ...flags, scenario: flags['scenario'] ?? env['GENLOAD_SCENARIO'] ?? 'capacity' };
  const { plan, problems } = collectRun(withScenario, env);
  let settings: CapacitySettings | undefined;
  try {
    settings = resolveCapacitySettings(flags, env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.push(...err.problems);
  }
  if (plan === undefined || settings === undefined) throw new ConfigError(problems);

  const sources = plan.knobs.sources;
  const v = plan.knobs.values;
  const pick = (key: keyof typeof CAPACITY_LOAD_DEFAULTS): number =>
    sources[key] === 'default' ? CAPACITY_LOAD_DEFAULTS[key] : plan.load[key];
  const load: LoadConfig = {
    rateRps: pick('rateRps'),
    maxRateRps: pick('maxRateRps'),
    durationSeconds: pick('durationSeconds'),
    warmupSeconds: pick('warmupSeconds'),
    vus: plan.load.vus,
    maxVus: plan.load.maxVus,
    arrival: plan.load.arrival,
    seed: plan.load.seed,
  };
  // LOAD_MODEL=closed: the same stepper searches a concurrency from VUS (1 unless set) up to MAX_VUS, in whole numbers
  const closed = v.loadModel === 'closed';
  const common = {
    toleranceRatio: settings.toleranceRatio,
    maxSteps: settings.maxSteps,
    confirmRepeats: settings.confirmRepeats,
  };
  const stepper: StepperConfig = {
    levels: closed
      ? {
          kind: 'concurrency',
          startConcurrency: sources['vus'] === 'default' ? 1 : load.vus,
          minConcurrency: 1,
          maxConcurrency: load.maxVus,
        }
      : {
          kind: 'rate',
          startRps: load.rateRps,
          minRps: settings.minRps ?? load.rateRps / 4,
          maxRps: Math.max(load.maxRateRps, load.rateRps),
        },
    ...common,
  };
  if (stepper.levels.kind === 'rate' && stepper.levels.minRps > stepper.levels.startRps)
    throw new ConfigError([
      `MIN_RATE: must be at most RATE (${stepper.levels.startRps}), but is ${stepper.levels.minRps}`,
    ]);
  const window = {
    warmupSeconds: load.warmupSeconds,
    minSeconds: Math.min(load.durationSeconds, Math.max(MIN_WINDOW_SECONDS, load.durationSeconds * MIN_WINDOW_SHARE)),
    maxSeconds: load.durationSeconds,
  };
  // the probe holds many requests in flight just long enough to count completions: half a step's window
  const probe =
    closed || settings.probeConcurrency === 0
      ? null
      : {
          concurrency: settings.probeConcurrency,
          warmupSeconds: load.warmupSeconds,
          durationSeconds: Math.max(window.minSeconds, load.durationSeconds / 2),
        };
  const run: RunPlan = Object.freeze({ ...plan, load, workload: Object.freeze(workloadFor(plan)) });
  return Object.freeze({ run, settings, stepper, loadModel: closed ? 'closed' : 'open', window, probe });
}

/** The resolved workload with the scenario's traffic class, unless WORKLOAD (trafficClass=) or STREAM set it explicitly. */
function workloadFor(plan: RunPlan): Workload {
  const mapped = WORKLOAD_OF[plan.scenario] ?? { trafficClass: 'auto' };
  const stream = plan.knobs.sources['stream'];
  return {
    ...plan.workload,
    ...(plan.workloadKeys.includes('trafficClass') ? {} : { trafficClass: mapped.trafficClass }),
    ...(mapped.stream !== undefined && (stream === undefined || stream === 'default') ? { stream: mapped.stream } : {}),
  };
}
