// For end-to-end tests that drive k6 below the CLI (distributed segments,
// remote write): a validated run config for the reference API and the
// environment a single k6 run gets from `genload load`.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../build/paths.ts';
import { RUN_CONFIG_ENV, RUN_CONFIG_SCHEMA_VERSION, runConfigSchema, type LoadConfig, type RunConfig } from '../../lib/shared/run-config.ts';
import type { Summary } from '../../lib/shared/summary.ts';
import { runProcess } from './harness.ts';

export interface DirectRun {
  scenario: string;
  runDir: string;
  targetUrl: string;
  rateRps: number;
  durationSeconds: number;
  warmupSeconds: number;
}

export function directRunConfig(r: DirectRun): RunConfig {
  return runConfigSchema.parse({
    schemaVersion: RUN_CONFIG_SCHEMA_VERSION,
    scenario: r.scenario,
    runId: `e2e-${r.scenario}`,
    runDir: r.runDir,
    target: { url: r.targetUrl, api: 'reference', managed: true, readyPath: '/ready' },
    load: { rateRps: r.rateRps, maxRateRps: r.rateRps, durationSeconds: r.durationSeconds, warmupSeconds: r.warmupSeconds, vus: 2, maxVus: 20, arrival: 'constant', seed: 1 },
    sloPath: null,
    slo: null,
    workload: { maxTokens: 8 },
  });
}

export function k6Env(config: RunConfig, extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', K6_NO_USAGE_REPORT: 'true', [RUN_CONFIG_ENV]: JSON.stringify(config), ...extra };
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
  slo?: unknown;
  api?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}

/** One bundled scenario run by the real k6 with a validated run config; summary.json must exist. */
export async function runScenario(o: ScenarioRunOptions): Promise<ScenarioRun> {
  const config = runConfigSchema.parse({
    schemaVersion: RUN_CONFIG_SCHEMA_VERSION,
    scenario: o.scenario,
    runId: `e2e-${o.scenario}`,
    runDir: o.runDir,
    target: { url: o.targetUrl, api: o.api ?? 'reference', managed: true, readyPath: '/ready' },
    load: o.load,
    sloPath: null,
    slo: o.slo ?? null,
    workload: o.workload ?? {},
  });
  mkdirSync(o.runDir, { recursive: true });
  const r = await runProcess(o.k6Path, ['run', '--quiet', '--no-color', join(repoRoot, '.build/scenarios', `${o.scenario}.js`)], {
    env: { [RUN_CONFIG_ENV]: JSON.stringify(config), ...o.env },
    timeoutMs: o.timeoutMs ?? 90_000,
  });
  const path = join(o.runDir, 'summary.json');
  assert.ok(existsSync(path), `${o.scenario}: no summary.json (exit ${r.code})\n${r.stderr.slice(-2000)}`);
  return { ...r, runDir: o.runDir, summary: JSON.parse(readFileSync(path, 'utf8')) as Summary };
}
