// handleSummary: the run's summary as files in the run folder. First version:
// k6's own summary data plus genload's header; the versioned schema grows in
// lib/shared/summary.ts.

import type { RunConfig } from '../shared/run-config.ts';
import { readRunConfig } from './config.ts';

interface K6SummaryData {
  metrics: Record<string, { type: string; values: Record<string, number>; thresholds?: Record<string, { ok: boolean }> }>;
  state?: { testRunDurationMs?: number; isStdOutTTY?: boolean };
}

function sloPassed(data: K6SummaryData): boolean {
  return Object.values(data.metrics).every((m) => Object.values(m.thresholds ?? {}).every((t) => t.ok));
}

export function writeSummary(data: K6SummaryData): Record<string, string> {
  const config: RunConfig = readRunConfig();
  const summary = {
    schemaVersion: 1,
    tool: 'genload',
    scenario: config.scenario,
    runId: config.runId,
    durationMs: data.state?.testRunDurationMs ?? 0,
    validity: { valid: true, reasons: [] as string[] },
    slo: { passed: sloPassed(data) },
    metrics: data.metrics,
  };
  const lines = Object.entries(data.metrics).map(([name, m]) => `${name}: ${JSON.stringify(m.values)}`);
  const text = `genload ${config.scenario} ${config.runId}\nslo: ${summary.slo.passed ? 'passed' : 'failed'}\n${lines.join('\n')}\n`;
  return {
    [`${config.runDir}/summary.json`]: `${JSON.stringify(summary, null, 2)}\n`,
    [`${config.runDir}/summary.txt`]: text,
    stdout: text,
  };
}
