// What the gate compares against: the measured headline latencies, request and
// failure counts, and the sustainable rate of one run. Taken from a run folder,
// or from a baseline file (`genload gate --save-baseline <file>` writes one to
// commit beside the CI job), which keeps at most MAX_LATENCIES latencies: the
// sample's quantiles at evenly spaced ranks, so its distribution is kept.

import { readFileSync } from 'node:fs';
import { percentileSorted } from '../../shared/stats/summary.ts';
import type { RunRecord } from '../record/run-record.ts';
import { measuredValues } from '../record/samples.ts';
import { availabilityOf } from '../report/data/availability.ts';
import { headlineLatencyMetric } from '../report/data/latency.ts';

export const BASELINE_KIND = 'genload-gate-baseline';
export const MAX_LATENCIES = 5000;

export interface GateBaseline {
  kind: typeof BASELINE_KIND;
  schemaVersion: 1;
  runId: string;
  latencyMetric: string;
  latenciesMs: number[];
  requests: number;
  failures: number;
  sustainableRps: number | null;
  /** gap between the capacity search's highest pass and lowest failure: its resolution */
  searchResolutionRps: number | null;
}

/** At most max values: quantiles at evenly spaced ranks of the sorted sample. */
export function thin(values: readonly number[], max = MAX_LATENCIES): number[] {
  const s = Float64Array.from(values).sort();
  if (s.length <= max) return [...s];
  return Array.from({ length: max }, (_, i) => percentileSorted(s, (i / (max - 1)) * 100));
}

export function baselineOf(run: RunRecord, latencyMetric = headlineLatencyMetric(run.samples)): GateBaseline {
  const a = availabilityOf(run.samples);
  const cap = run.capacity;
  return {
    kind: BASELINE_KIND,
    schemaVersion: 1,
    runId: run.runId,
    latencyMetric,
    latenciesMs: thin(measuredValues(run.samples, latencyMetric)),
    requests: a.total,
    failures: a.failed,
    sustainableRps: cap?.sustainableRps ?? null,
    searchResolutionRps: cap?.lowRps != null && cap.highRps != null ? cap.highRps - cap.lowRps : null,
  };
}

export function readBaselineFile(path: string): GateBaseline {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`baseline: reading ${path} failed; reason: ${(err as Error).message}`);
  }
  const b = raw as Partial<GateBaseline>;
  if (b.kind !== BASELINE_KIND || b.schemaVersion !== 1 || !Array.isArray(b.latenciesMs)) {
    throw new Error(`baseline: ${path} must be a run folder or a file written by \`genload gate --save-baseline\` (kind ${BASELINE_KIND}, schemaVersion 1), but is neither`);
  }
  return b as GateBaseline;
}
