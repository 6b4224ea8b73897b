// What k6 gets: the run config (lib/shared/run-config.ts, validated by its
// schema) assembled from the plan and what the run started, the environment of
// the k6 process, and the files of the run folder that record them
// (config.json with secrets redacted, environment.json).

import { join } from 'node:path';
import {
  RUN_CONFIG_ENV,
  RUN_CONFIG_SCHEMA_VERSION,
  runConfigSchema,
  type LoadConfig,
  type RunConfig,
  type WorkloadFileRef,
} from '../../shared/run-config.ts';
import type { Workload } from '../../shared/workload/defaults.ts';
import type { RunPlan } from '../run-plan/plan.ts';
import { credentialEnv, redactUrl } from '../run-plan/credentials.ts';
import { describeEnvironment } from './environment.ts';
import { writeJsonAtomic } from '../run-folder/write.ts';
import { writeConfig } from '../run-folder/config-record.ts';
import { RUN_FILE } from '../run-folder/names.ts';

/** A run config before its workload file is built (a capacity step adds its own). */
export type BaseRunConfig = Omit<RunConfig, 'workloadFile'>;

export interface RunParts {
  runId: string;
  /** where handleSummary writes: the run folder, or /tmp inside a k6-operator pod */
  runDir: string;
  targetUrl: string;
  managed: boolean;
  /** the k6 scenario when it differs from the plan's (capacity steps run scenarios/capacity.ts) */
  scenario?: string;
  /** the plan's load and workload, unless the executor changed them (capacity, the prompt cap) */
  load?: LoadConfig;
  workload?: Workload;
}

/** The run config without its workload file, checked by the schema. */
export function baseRunConfig(plan: RunPlan, parts: RunParts): BaseRunConfig {
  return runConfigSchema.omit({ workloadFile: true }).parse({
    schemaVersion: RUN_CONFIG_SCHEMA_VERSION,
    scenario: parts.scenario ?? plan.scenario,
    runId: parts.runId,
    runDir: parts.runDir,
    target: {
      url: parts.targetUrl,
      api: plan.target.api,
      model: plan.target.model,
      managed: parts.managed,
      readyPath: plan.target.readyPath,
    },
    load: parts.load ?? plan.load,
    sloPath: plan.slo.path,
    slo: plan.slo.profile,
    workload: parts.workload ?? plan.workload,
  });
}

export function withWorkloadFile(base: BaseRunConfig, workloadFile: WorkloadFileRef): RunConfig {
  return runConfigSchema.parse({ ...base, workloadFile });
}

/** config.json (the target URL redacted, each knob's source) and environment.json of a run folder. */
export function writeRunRecordFiles(runDir: string, config: RunConfig, plan: RunPlan, k6Version: string): void {
  writeConfig(runDir, {
    ...config,
    target: { ...config.target, url: redactUrl(config.target.url) },
    sources: plan.knobs.sources,
  });
  writeJsonAtomic(join(runDir, RUN_FILE.environment), describeEnvironment(k6Version));
}

/** The k6 process's environment: PATH and HOME of ours, and the target's credentials; nothing else leaks in. */
export function k6BaseEnv(
  processEnv: Readonly<Record<string, string | undefined>>,
  plan: RunPlan,
): Record<string, string> {
  return { PATH: processEnv['PATH'] ?? '', HOME: processEnv['HOME'] ?? '', ...credentialEnv(plan.target.credentials) };
}

/** A load run's k6 environment: the base, the run config, and the web dashboard exported to dashboard.html. */
export function loadK6Env(config: RunConfig, base: Readonly<Record<string, string>>): Record<string, string> {
  const totalSeconds = config.load.durationSeconds + config.load.warmupSeconds;
  return {
    ...base,
    [RUN_CONFIG_ENV]: JSON.stringify(config),
    K6_NO_USAGE_REPORT: 'true',
    K6_WEB_DASHBOARD: 'true',
    K6_WEB_DASHBOARD_PORT: '-1',
    K6_WEB_DASHBOARD_PERIOD: `${Math.max(1, Math.min(10, Math.floor(totalSeconds / 6)))}s`,
    K6_WEB_DASHBOARD_EXPORT: join(config.runDir, RUN_FILE.dashboard),
  };
}

/** k6 run's arguments shared by single and distributed runs: no colour, no REST API, the trend stats genload reports. */
export const K6_RUN_ARGS = [
  'run',
  '--no-color',
  '--address',
  '',
  '--summary-trend-stats',
  'avg,min,med,max,p(90),p(95),p(99),count',
] as const;
