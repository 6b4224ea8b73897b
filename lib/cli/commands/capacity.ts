// `genload capacity` (make capacity SCENARIO=<workload>): find the highest
// request rate the target sustains inside the SLO, with evidence, and plan
// replicas and cost from it. One run folder results/<ts>-capacity-<scenario>/
// with a sub-folder per step and capacity.json (lib/shared/capacity/report.ts).
// SCENARIO names the workload the steps send: llm-stream (LLM, streamed),
// diffusion (images), mixed or capacity (both classes when the API carries both).

import { join, resolve } from 'node:path';
import { bundleScenarios } from '../bundle/bundle.ts';
import { repoRoot } from '../paths.ts';
import { DEFAULT_ACCEPTANCE } from '../../shared/capacity/acceptance.ts';
import { capacityPlan, describePlan, type CapacityPlan } from '../../shared/capacity/plan.ts';
import { CAPACITY_SCHEMA_VERSION, curveOf, unitsPerRequestAt, type CapacityReport } from '../../shared/capacity/report.ts';
import type { StepperConfig } from '../../shared/capacity/stepper.ts';
import { ExitCode } from '../../shared/exit-codes.ts';
import { API_KEY_ENV, BASIC_AUTH_ENV, RUN_CONFIG_SCHEMA_VERSION, runConfigSchema, type RunConfig, type TargetApi } from '../../shared/run-config.ts';
import { BOUNDED_METRICS, parseSlo, SloError, type Slo } from '../../shared/slo/index.ts';
import { resolveCapacitySettings, type CapacitySettings } from '../capacity/settings.ts';
import { searchCapacity, type SearchState } from '../capacity/search.ts';
import { runStep, type StepBaseConfig } from '../capacity/step.ts';
import { buildRunWorkload } from '../run/build-workload.ts';
import { withWorkloadDefaults } from '../../shared/workload/defaults.ts';
import { ConfigError, TargetUnreachableError } from '../errors.ts';
import { renderCapacityReports } from '../report/capacity-report.ts';
import { resolveK6 } from '../k6/provision.ts';
import { describeEnvironment, type RunEnvironment } from '../run/environment.ts';
import { startManagedServer, type ManagedServer } from '../run/managed-server.ts';
import { splitCredentials } from '../run/credentials.ts';
import { probeUrl } from '../run/probe.ts';
import { createRunFolder, writeJsonAtomic } from '../run/run-folder.ts';
import { DEFAULT_READY_PATH, redactUrl, resolveLoadConfig } from './load.ts';

/** Workload class each scenario name stands for in a capacity search. */
const WORKLOAD_OF: Readonly<Record<string, { trafficClass: 'llm' | 'image' | 'auto'; stream?: boolean }>> = {
  'llm-stream': { trafficClass: 'llm', stream: true },
  diffusion: { trafficClass: 'image' },
  mixed: { trafficClass: 'auto' },
  capacity: { trafficClass: 'auto' },
};

/** Step timing and search bounds when neither Make variables nor environment set them. */
const CAPACITY_LOAD_DEFAULTS = { durationSeconds: 10, warmupSeconds: 3, rateRps: 1, maxRateRps: 1000 } as const;

export async function runCapacity(flags: Record<string, string | undefined>, env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = (l) => process.stderr.write(`genload: ${l}\n`)): Promise<number> {
  const withScenario = { ...flags, scenario: flags['scenario'] ?? env['GENLOAD_SCENARIO'] ?? 'capacity' };
  const { knobs, slo: sloJson, workload } = resolveLoadConfig(withScenario, env);
  const settings = resolveCapacitySettings(flags, env);
  const v = knobs.values;
  const pick = <K extends keyof typeof CAPACITY_LOAD_DEFAULTS>(key: K): number => (knobs.sources[key] === 'default' ? CAPACITY_LOAD_DEFAULTS[key] : Number(v[key]));
  const scenario = String(v['scenario']);
  const api = v['api'] as TargetApi;
  let slo: Slo | null = null;
  if (sloJson !== null) {
    try {
      slo = parseSlo(sloJson, knobs.sloFile ?? 'SLO');
    } catch (err) {
      if (err instanceof SloError) throw new ConfigError(err.problems.map((p) => `SLO ${err.source}: ${p}`));
      throw err;
    }
  }
  const load = { rateRps: pick('rateRps'), maxRateRps: pick('maxRateRps'), durationSeconds: pick('durationSeconds'), warmupSeconds: pick('warmupSeconds') };
  // LOAD_MODEL=closed: the same stepper searches a concurrency from VUS (1 unless set) up to MAX_VUS, in whole numbers
  const closed = v['loadModel'] === 'closed';
  const stepper: StepperConfig = closed
    ? {
        startRps: knobs.sources['vus'] === 'default' ? 1 : Number(v['vus']),
        minRps: 1,
        maxRps: Number(v['maxVus']),
        toleranceRatio: settings.toleranceRatio,
        maxSteps: settings.maxSteps,
        confirmRepeats: settings.confirmRepeats,
        wholeNumbers: true,
      }
    : {
        startRps: load.rateRps,
        minRps: settings.minRps ?? load.rateRps / 4,
        maxRps: Math.max(load.maxRateRps, load.rateRps),
        toleranceRatio: settings.toleranceRatio,
        maxSteps: settings.maxSteps,
        confirmRepeats: settings.confirmRepeats,
      };
  if (stepper.minRps > stepper.startRps) throw new ConfigError([`MIN_RATE: must be at most RATE (${stepper.startRps}), but is ${stepper.minRps}`]);

  const k6 = await resolveK6({ log });
  const [script] = await bundleScenarios(['capacity']);
  if (script === undefined) throw new Error('bundling scenarios/capacity.ts produced no output');

  const split = typeof v['target'] === 'string' ? splitCredentials(v['target'].replace(/\/+$/, '')) : undefined;
  let target = split?.url;
  const readyPath = typeof v['readyPath'] === 'string' ? v['readyPath'] : DEFAULT_READY_PATH[api];
  if (target !== undefined) {
    const probe = await probeUrl(`${target}${readyPath}`, 5000);
    if (!probe.reachable) throw new TargetUnreachableError(`target ${target} is not answering (${probe.error}); no load was sent`);
  }
  const startedAt = new Date();
  const folder = createRunFolder(resolve(repoRoot, String(v['resultsDir'])), `capacity-${scenario}`, v['runName'] as string | undefined, startedAt);
  log(`capacity search: run folder ${folder.runDir}`);

  const abort = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    log(`${signal} received: stopping the current step (measured steps are kept)`);
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let server: ManagedServer | undefined;
  try {
    if (target === undefined) {
      log(`no TARGET: starting the local reference server (engine ${String(v['engine'])})`);
      server = await startManagedServer({ engine: v['engine'] as 'onnx' | 'sim', logPath: join(folder.runDir, 'server.log') });
      target = server.url;
    }
    const baseConfig: StepBaseConfig = runConfigSchema.omit({ workloadFile: true }).parse({
      schemaVersion: RUN_CONFIG_SCHEMA_VERSION,
      scenario: 'capacity',
      runId: folder.runId,
      runDir: folder.runDir,
      target: { url: target, api, model: v['model'], managed: server !== undefined, readyPath },
      load: { ...load, vus: v['vus'], maxVus: v['maxVus'], arrival: v['arrival'], seed: v['seed'] },
      sloPath: knobs.sloFile,
      slo,
      workload: workloadFor(scenario, workload, knobs.values, knobs.sources),
    });
    const environment = describeEnvironment(k6.version);
    const k6Env: Record<string, string> = { PATH: env['PATH'] ?? '', HOME: env['HOME'] ?? '' };
    const apiKey = env[API_KEY_ENV];
    if (apiKey !== undefined && apiKey !== '') k6Env[API_KEY_ENV] = apiKey;
    if (split?.basicAuth !== undefined) k6Env[BASIC_AUTH_ENV] = split.basicAuth;

    const write = (state: SearchState): void => writeJsonAtomic(join(folder.runDir, 'capacity.json'), report(state, { baseConfig, scenario, settings, stepper, environment, startedAt, sloName: slo?.name ?? 'default' }));
    const stepSeconds = load.durationSeconds + load.warmupSeconds;
    const unit = closed ? ' concurrent requests' : ' rps';
    log(`searching from ${stepper.startRps}${unit} (min ${stepper.minRps}, max ${stepper.maxRps}), steps of ${load.warmupSeconds} s warm-up + ${load.durationSeconds} s measured, tolerance ${(stepper.toleranceRatio * 100).toFixed(1)} %`);
    const state = await searchCapacity(
      { stepper, acceptance: DEFAULT_ACCEPTANCE, deadlineMs: Date.now() + settings.timeBudgetSeconds * 1000, maxVus: Number(v['maxVus']), stepSeconds, headlineKeys: sloLatencyKeys(slo) },
      {
        runStep: (spec) =>
          runStep(
            {
              k6Path: k6.path,
              script,
              runDir: folder.runDir,
              baseConfig,
              probeUrl: `${target}${readyPath}`,
              env: k6Env,
              signal: abort.signal,
              closed,
              // each step sends its own plan's requests, built from the same seed: the same first requests at every level
              buildWorkload: async (config, dir) =>
                (await buildRunWorkload({ runDir: dir, scenario: 'capacity', api, model: config.target.model, load: config.load, workload: withWorkloadDefaults(config.workload), knobs: v })).ref,
            },
            spec,
          ),
        persist: write,
        log,
        nowMs: () => Date.now(),
      },
    );
    log(state.message);
    const plan = planOf(state, settings);
    for (const line of plan === null ? [] : describePlan(plan)) log(line);
    const pages = await renderCapacityReports(folder.runDir);
    log(`capacity.json${pages.length > 0 ? ', capacity.html, capacity.md' : ''} in ${folder.runDir} (exit ${state.exitCode})`);
    return state.exitCode;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (server !== undefined) await server.stop();
  }
}

/** The resolved workload with the scenario's traffic class, unless WORKLOAD (trafficClass=) or STREAM set it explicitly. */
function workloadFor(scenario: string, workload: Record<string, unknown>, values: Readonly<Record<string, unknown>>, sources: Readonly<Record<string, string>>): Record<string, unknown> {
  const mapped = WORKLOAD_OF[scenario] ?? { trafficClass: 'auto' };
  const out = { ...workload };
  if (!(typeof values['workload'] === 'string' && /(^|,)\s*trafficClass=/.test(values['workload']))) out['trafficClass'] = mapped.trafficClass;
  if (mapped.stream !== undefined && (sources['stream'] === undefined || sources['stream'] === 'default')) out['stream'] = mapped.stream;
  return out;
}

/** "<class>.<metric>" for every latency the SLO bounds, in the SLO language's order. */
function sloLatencyKeys(slo: Slo | null): string[] {
  if (slo === null) return [];
  return (['llm', 'image'] as const).flatMap((cls) => BOUNDED_METRICS.filter((m) => slo.classes[cls]?.[m] !== undefined).map((m) => `${cls}.${m}`));
}

function planOf(state: SearchState, s: CapacitySettings): CapacityPlan | null {
  const level = state.result?.sustainableRps ?? null;
  if (level === null) return null;
  // closed model: a replica's rate is the lowest throughput measured at the sustainable concurrency
  const at = state.measurements.filter((m) => m.offeredRps === level);
  const rate = at.some((m) => m.concurrency !== undefined) ? Math.min(...at.map((m) => m.achievedRps)) : level;
  return capacityPlan({ sustainableRps: rate, ...unitsPerRequestAt(state.measurements, level), peakRps: s.peakRps, headroomRatio: s.headroomRatio, pricePerHour: s.pricePerHour, unitsPerReplica: s.unitsPerReplica, currency: s.currency });
}

interface ReportContext {
  baseConfig: StepBaseConfig;
  scenario: string;
  settings: CapacitySettings;
  stepper: StepperConfig;
  environment: RunEnvironment;
  startedAt: Date;
  sloName: string;
}

function report(state: SearchState, c: ReportContext): CapacityReport {
  return {
    schemaVersion: CAPACITY_SCHEMA_VERSION,
    tool: 'genload',
    kind: 'capacity',
    runId: c.baseConfig.runId,
    scenario: c.scenario,
    loadModel: c.stepper.wholeNumbers === true ? 'closed' : 'open',
    target: { url: redactUrl(c.baseConfig.target.url), api: c.baseConfig.target.api, managed: c.baseConfig.target.managed },
    slo: { name: c.sloName, path: c.baseConfig.sloPath },
    settings: { stepper: c.stepper, acceptance: DEFAULT_ACCEPTANCE, load: c.baseConfig.load, workload: c.baseConfig.workload, plan: c.settings },
    environment: c.environment,
    startedAt: c.startedAt.toISOString(),
    endedAt: new Date().toISOString(),
    status: state.status === 'running' ? 'incomplete' : state.status,
    message: state.status === 'running' ? 'search in progress' : state.message,
    exitCode: state.status === 'running' ? ExitCode.Passed : state.exitCode,
    result: state.result,
    steps: state.rows,
    curve: curveOf(state.rows),
    plan: planOf(state, c.settings),
  };
}
