// resolveRun: flags and environment -> one typed, frozen RunPlan. Resolves the
// knobs (lib/cli/config), loads and parses the SLO, parses the workload record
// and checks the request-list files, collecting every problem before throwing
// one ConfigError. The executors (lib/cli/run/load-run.ts,
// lib/cli/capacity/run-capacity.ts, lib/cli/k6-operator/package.ts) read only
// the plan.

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { listScenarios } from '../bundle/bundle.ts';
import { repoRoot } from '../paths.ts';
import { API_KEY_ENV, loadSchema, type LoadConfig } from '../../shared/run-config.ts';
import { isScenarioName } from '../../shared/scenarios.ts';
import { APIS } from '../../shared/targets/apis.ts';
import type { Workload } from '../../shared/workload/defaults.ts';
import { parseWorkload, WorkloadError } from '../../shared/workload/index.ts';
import { resultsDirProblem } from '../config/folders.ts';
import { WORKLOAD_KEYS, type RequestList } from '../config/knobs.ts';
import { collectKnobs, type ResolvedKnobs, type ResolvedValues } from '../config/resolve.ts';
import { listSloProfiles } from '../config/slo-file.ts';
import { ConfigError } from '../errors.ts';
import { requestListProblems } from '../workload/from-plan.ts';
import { splitCredentials } from './credentials.ts';
import type { RunPlan, TargetPlan } from './plan.ts';
import { resolveSlo } from './slo.ts';

export type Flags = Readonly<Record<string, string | undefined>>;
export type Env = Readonly<Record<string, string | undefined>>;

/** The plan, or every problem found; for callers that add problems of their own (capacity, package-operator). */
export function collectRun(flags: Flags, env: Env): { plan: RunPlan | undefined; problems: string[] } {
  const { problems, ...knobs } = collectKnobs({
    flags,
    env,
    scenarios: listScenarios(),
    sloProfiles: listSloProfiles(),
    fileExists: (p) => existsSync(p),
  });
  const v = knobs.values;
  const resultsDir = resolve(repoRoot, v.resultsDir);
  const resultsProblem = resultsDirProblem(resultsDir, join(repoRoot, 'results'));
  if (resultsProblem !== undefined) problems.push(resultsProblem);
  const { workload, workloadKeys } = workloadOf(v, problems);
  const slo =
    v.scenario !== undefined && isScenarioName(v.scenario) && workload !== undefined
      ? resolveSlo(knobs.sloFile, v.scenario, v.api, workload, problems)
      : undefined;
  if (workload !== undefined) problems.push(...requestListProblems(requestListOf(v), workload, v.api));
  if (
    problems.length > 0 ||
    workload === undefined ||
    slo === undefined ||
    v.scenario === undefined ||
    !isScenarioName(v.scenario)
  )
    return { plan: undefined, problems };
  const plan: RunPlan = {
    scenario: v.scenario,
    target: targetOf(v, env),
    load: loadOf(v),
    workload,
    requestList: requestListOf(v),
    workloadKeys,
    slo,
    outputs: { resultsDir, runName: v.runName, instances: v.instances, prometheusRw: v.prometheusRw },
    knobs,
  };
  return { plan: Object.freeze(plan), problems };
}

/** Throws one ConfigError listing every problem. */
export function resolveRun(flags: Flags, env: Env): RunPlan {
  const { plan, problems } = collectRun(flags, env);
  if (plan === undefined) throw new ConfigError(problems);
  return plan;
}

/** The load section of a run config from the resolved knobs (validated again by loadSchema). */
export function loadOf(v: ResolvedValues): LoadConfig {
  return loadSchema.parse({
    rateRps: v.rateRps,
    maxRateRps: v.maxRateRps,
    durationSeconds: v.durationSeconds,
    warmupSeconds: v.warmupSeconds,
    vus: v.vus,
    maxVus: v.maxVus,
    arrival: v.arrival,
    seed: v.seed,
    ...(v.concurrency !== undefined ? { concurrency: [...v.concurrency] } : {}),
  });
}

function targetOf(v: ResolvedValues, env: Env): TargetPlan {
  const split = v.target !== undefined ? splitCredentials(v.target.replace(/\/+$/, '')) : undefined;
  const apiKey = env[API_KEY_ENV];
  return {
    endpoint: split !== undefined ? { kind: 'remote', url: split.url } : { kind: 'managed', engine: v.engine },
    api: v.api,
    model: v.model,
    readyPath: v.readyPath ?? APIS[v.api].readyPath,
    metricsUrl: v.metricsUrl,
    serverDialect: v.serverDialect,
    credentials: {
      ...(apiKey !== undefined && apiKey !== '' ? { apiKey } : {}),
      ...(split?.basicAuth !== undefined ? { basicAuth: split.basicAuth } : {}),
    },
  };
}

function requestListOf(v: ResolvedValues): RequestList {
  return {
    inputTokens: v.inputTokens,
    outputTokens: v.outputTokens,
    tokenPairs: v.tokenPairs,
    tokenizer: v.tokenizer,
    dataset: v.dataset,
    trace: v.trace,
    traceSpeed: v.traceSpeed,
    prefixes: v.prefixes,
    prefixTokens: v.prefixTokens,
    prefixShare: v.prefixShare,
    turns: v.turns,
    workloadFile: v.workloadFile,
  };
}

/** The workload record: the workload knobs, then WORKLOAD=k=v pairs on top, parsed by lib/shared/workload. */
function workloadOf(v: ResolvedValues, problems: string[]): { workload: Workload | undefined; workloadKeys: string[] } {
  const record: Record<string, string | number | boolean> = {};
  for (const key of WORKLOAD_KEYS) {
    const value = v[key];
    if (value !== undefined) record[key] = value;
  }
  const workloadKeys: string[] = [];
  if (v.workload !== undefined) {
    for (const pair of v.workload.split(',')) {
      const [key, ...rest] = pair.trim().split('=');
      if (key === undefined) continue;
      record[key] = coerce(rest.join('='));
      workloadKeys.push(key);
    }
  }
  try {
    return { workload: Object.freeze(parseWorkload(record)), workloadKeys };
  } catch (err) {
    if (!(err instanceof WorkloadError)) throw err;
    problems.push(...err.problems);
    return { workload: undefined, workloadKeys };
  }
}

/** "12" -> 12, "true" -> true, anything else stays text */
function coerce(text: string): string | number | boolean {
  if (/^-?\d+(?:\.\d+)?$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  return text;
}

export type { ResolvedKnobs };
