// What the gate compares against: the measured headline latencies (in time
// order), request and failure counts, the sustainable rate of one run, and for
// a ramp, breakpoint or concurrency run its highest passing rate (or
// concurrency) and each step's own latencies. Taken from a run folder, or from
// a baseline file (`genload gate --save-baseline <file>` writes one to commit
// beside the CI job), which keeps at most MAX_LATENCIES latencies per series:
// every k-th sample, so time order (and the serial dependence the block
// bootstrap accounts for) is kept.

import { readFileSync } from 'node:fs';
import { TAG } from '../../shared/metrics.ts';
import { timeOrdered } from '../compare/compare-runs.ts';
import type { RunRecord } from '../run-folder/run-record.ts';
import { availabilityOf } from '../report/data/availability.ts';
import { answerOf } from '../report/data/answer.ts';
import { headlineLatencyMetric } from '../report/data/latency.ts';
import { sloRows } from '../report/data/slo.ts';
import { stageLoad, stageVerdicts, type StageLoad, type StageVerdict } from '../report/data/steps.ts';

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
  /** ramp, breakpoint, concurrency: the highest passing load and each step; absent for steady runs and older files */
  search?: {
    highestPassing: StageLoad | null;
    steps: { stage: string; load: StageLoad | null; verdict: StageVerdict; latenciesMs: number[] }[];
  };
}

/** At most max values, in their order: evenly spaced samples (first and last kept). */
export function thin(values: readonly number[], max = MAX_LATENCIES): number[] {
  if (values.length <= max) return [...values];
  return Array.from({ length: max }, (_, i) => values[Math.round((i * (values.length - 1)) / (max - 1))] ?? 0);
}

/** The search part of a baseline, when the run was a ramp-like search. */
function searchOf(run: RunRecord, latencyMetric: string): GateBaseline['search'] {
  const rows = sloRows(run.summary);
  const answer = answerOf(run.summary, rows);
  if (answer.kind !== 'search') return undefined;
  const all = timeOrderedByStage(run, latencyMetric);
  const steps = [...stageVerdicts(run.summary)]
    .filter(([, v]) => v !== 'not judged')
    .map(([stage, verdict]) => ({
      stage,
      load: stageLoad(run.summary?.stages?.find((s) => s.stage === stage)),
      verdict,
      latenciesMs: thin(all.get(stage) ?? [], 2000),
    }));
  return {
    highestPassing:
      answer.highestPassing === null ? null : { value: answer.highestPassing.value, unit: answer.highestPassing.unit },
    steps,
  };
}

function timeOrderedByStage(run: RunRecord, metric: string): Map<string, number[]> {
  const col = run.samples.metrics.get(metric);
  const out = new Map<string, number[]>();
  if (col === undefined) return out;
  for (const stage of new Set(col.tags.map((t) => t[TAG.stage] ?? ''))) {
    const only = {
      metrics: new Map([
        [
          metric,
          {
            ...col,
            tMs: col.tMs.filter((_, i) => col.tags[i]?.[TAG.stage] === stage),
            values: col.values.filter((_, i) => col.tags[i]?.[TAG.stage] === stage),
            tags: col.tags.filter((t) => t[TAG.stage] === stage),
          },
        ],
      ]),
      badLines: 0,
    };
    out.set(stage, timeOrdered(only, metric, null));
  }
  return out;
}

export function baselineOf(run: RunRecord, latencyMetric = headlineLatencyMetric(run.samples)): GateBaseline {
  const a = availabilityOf(run.samples);
  const cap = run.capacity;
  const search = searchOf(run, latencyMetric);
  return {
    kind: BASELINE_KIND,
    schemaVersion: 1,
    runId: run.runId,
    latencyMetric,
    latenciesMs: thin(timeOrdered(run.samples, latencyMetric, null)),
    requests: a.total,
    failures: a.failed,
    sustainableRps: cap?.sustainableRps ?? null,
    searchResolutionRps: cap?.lowRps != null && cap.highRps != null ? cap.highRps - cap.lowRps : null,
    ...(search !== undefined ? { search } : {}),
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
    throw new Error(
      `baseline: ${path} must be a run folder or a file written by \`genload gate --save-baseline\` (kind ${BASELINE_KIND}, schemaVersion 1), but is neither`,
    );
  }
  return b as GateBaseline;
}
