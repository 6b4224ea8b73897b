// For end-to-end tests that drive k6 below the CLI (distributed segments,
// remote write): a validated run config for the reference API and the
// environment a single k6 run gets from `genload load`.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../lib/cli/paths.ts';
import {
  RUN_CONFIG_ENV,
  RUN_CONFIG_SCHEMA_VERSION,
  runConfigSchema,
  type LoadConfig,
  type RunConfig,
} from '../../lib/shared/run-config.ts';
import type { Summary } from '../../lib/shared/summary.ts';
import type { TargetApi } from '../../lib/shared/run-config.ts';
import { withWorkloadDefaults } from '../../lib/shared/workload/defaults.ts';
import { parseWorkload } from '../../lib/shared/workload/schema.ts';
import { buildRunWorkload } from '../../lib/cli/workload/from-plan.ts';
import { LOAD_KNOBS, type RequestList } from '../../lib/cli/config/knobs.ts';
import { resolveTable } from '../../lib/cli/config/table.ts';

/** Workload records as tests write them (numbers, booleans, strings) in the shape parseWorkload takes. */
function coerced(w: Record<string, unknown>): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(w))
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
  return out;
}
import { runProcess } from './harness.ts';

/**
 * The SLO of a run below the CLI when a test gives none: errors-only (thresholds/errors-only.json).
 * These tests drive k6's mechanics (stages, protocol, segments, remote write) with a few seconds of load;
 * the CLI's default SLOs (latency bounds per class, e.g. interactive-chat's 10 requests a stage) are
 * exercised by the tests that run `genload load` and `genload capacity` without SLO.
 */
export const ERRORS_ONLY_SLO: unknown = JSON.parse(readFileSync(join(repoRoot, 'thresholds/errors-only.json'), 'utf8'));

export interface DirectRun {
  scenario: string;
  runDir: string;
  targetUrl: string;
  rateRps: number;
  durationSeconds: number;
  warmupSeconds: number;
}

export async function directRunConfig(r: DirectRun): Promise<RunConfig> {
  const load: LoadConfig = {
    rateRps: r.rateRps,
    maxRateRps: r.rateRps,
    durationSeconds: r.durationSeconds,
    warmupSeconds: r.warmupSeconds,
    vus: 2,
    maxVus: 20,
    arrival: 'constant',
    seed: 1,
  };
  const workload = { maxTokens: 8 };
  mkdirSync(r.runDir, { recursive: true });
  const built = await buildRunWorkload({
    runDir: r.runDir,
    scenario: r.scenario,
    api: 'reference',
    model: undefined,
    load,
    workload: withWorkloadDefaults(workload),
    knobs: {},
  });
  return runConfigSchema.parse({
    schemaVersion: RUN_CONFIG_SCHEMA_VERSION,
    scenario: r.scenario,
    runId: `e2e-${r.scenario}`,
    runDir: r.runDir,
    target: { url: r.targetUrl, api: 'reference', managed: true, readyPath: '/ready' },
    load,
    sloPath: 'thresholds/errors-only.json',
    slo: ERRORS_ONLY_SLO,
    workload,
    workloadFile: built.ref,
  });
}

export function k6Env(config: RunConfig, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? '',
    K6_NO_USAGE_REPORT: 'true',
    [RUN_CONFIG_ENV]: JSON.stringify(config),
    ...extra,
  };
}

export interface ScenarioRun {
  /** null when the process was killed by a signal (e.g. the timeout) */
  code: number | null;
  summary: Summary;
  stdout: string;
  stderr: string;
  runDir: string;
}

export interface ScenarioRunOptions {
  k6Path: string;
  targetUrl: string;
  runDir: string;
  scenario: string;
  load: LoadConfig;
  workload?: Record<string, unknown>;
  /** request-list knobs (INPUT_TOKENS, DATASET, TRACE, ...) as text, parsed by the CLI's configuration table */
  requestList?: { readonly [K in keyof RequestList]?: string };
  model?: string;
  slo?: unknown;
  api?: TargetApi;
  env?: Record<string, string>;
  timeoutMs?: number;
}

/** Request-list texts parsed as `genload load` parses them (lib/cli/config/knobs.ts); a bad text fails the test. */
function requestListOf(texts: { readonly [K in keyof RequestList]?: string }): RequestList {
  const given = new Map(Object.entries(texts));
  const flags: Record<string, string> = {};
  for (const [key, row] of Object.entries(LOAD_KNOBS)) {
    const text = given.get(key);
    if (text !== undefined) flags[row.flag] = text;
  }
  const { values, problems } = resolveTable(LOAD_KNOBS, { flags, env: {}, scenario: undefined });
  assert.deepEqual(problems, []);
  return values;
}

/** One bundled scenario run by the real k6 with a validated run config; summary.json must exist. */
export async function runScenario(o: ScenarioRunOptions): Promise<ScenarioRun> {
  mkdirSync(o.runDir, { recursive: true });
  const api = o.api ?? 'reference';
  const built = await buildRunWorkload({
    runDir: o.runDir,
    scenario: o.scenario,
    api,
    model: o.model,
    load: o.load,
    workload: parseWorkload(coerced(o.workload ?? {})),
    knobs: requestListOf(o.requestList ?? {}),
  });
  const config = runConfigSchema.parse({
    schemaVersion: RUN_CONFIG_SCHEMA_VERSION,
    scenario: o.scenario,
    runId: `e2e-${o.scenario}`,
    runDir: o.runDir,
    target: {
      url: o.targetUrl,
      api,
      ...(o.model === undefined ? {} : { model: o.model }),
      managed: true,
      readyPath: '/ready',
    },
    load: o.load,
    sloPath: o.slo === undefined ? 'thresholds/errors-only.json' : null,
    slo: o.slo ?? ERRORS_ONLY_SLO,
    workload: o.workload ?? {},
    workloadFile: built.ref,
  });
  const r = await runProcess(
    o.k6Path,
    ['run', '--quiet', '--no-color', join(repoRoot, '.build/scenarios', `${o.scenario}.js`)],
    {
      env: { [RUN_CONFIG_ENV]: JSON.stringify(config), ...o.env },
      timeoutMs: o.timeoutMs ?? 90_000,
    },
  );
  const path = join(o.runDir, 'summary.json');
  assert.ok(existsSync(path), `${o.scenario}: no summary.json (exit ${r.code})\n${r.stderr.slice(-2000)}`);
  return { ...r, runDir: o.runDir, summary: JSON.parse(readFileSync(path, 'utf8')) as Summary };
}
