// For end-to-end tests that drive k6 below the CLI (distributed segments,
// remote write): a validated run config for the reference API and the
// environment a single k6 run gets from `genload load`.

import { RUN_CONFIG_ENV, RUN_CONFIG_SCHEMA_VERSION, runConfigSchema, type RunConfig } from '../../lib/shared/run-config.ts';

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
