// Two run folders compared, as data: every latency-like metric both runs
// recorded (measured stages only, warm-up excluded; one comparison per traffic
// class when the runs mix llm and image requests, never pooled), availability
// and errors of each, and the quality drift between their saved outputs.

import { join } from 'node:path';
import { RUN_FILE } from '../run-folder/names.ts';
import { loadRunRecord, type RunRecord } from '../run-folder/run-record.ts';
import { classLabel, classSplit, isMeasured, ofClass, type SampleTable } from '../run-folder/samples.ts';
import { availabilityOf, type Availability } from '../report/data/availability.ts';
import { headlineLatencyMetric, KEY_TRENDS } from '../report/data/latency.ts';
import {
  compareMetric,
  DEFAULT_COMPARE,
  JUDGED_STATS,
  type CompareOptions,
  type MetricComparison,
} from './metric-compare.ts';
import { qualityDrift, type QualityDrift } from './quality.ts';

/** 2: metrics carry `class` (per-class comparisons in mixed runs); text drift has character agreement */
export const COMPARE_SCHEMA_VERSION = 2;

export interface RunRef {
  runId: string;
  runDir: string;
  scenario: string | null;
}

export interface Comparison {
  schemaVersion: number;
  createdAt: string;
  base: RunRef;
  cand: RunRef;
  options: CompareOptions;
  headlineMetric: string;
  metrics: MetricComparison[];
  availability: { base: Availability; cand: Availability };
  quality: QualityDrift | null;
  /** whether both runs sent the same request list (workload.jsonl) */
  requests: RequestsProof;
  /** one line: the headline verdict and the quality drift */
  summary: string;
}

export interface RequestsProof {
  /** true: both request lists hash the same; false: they differ; null: a run has no workload file (older runs) */
  same: boolean | null;
  base: { sha256: string; count: number; source: string } | null;
  cand: { sha256: string; count: number; source: string } | null;
  /** requests each run completed (summary.json stages) */
  sent: { base: number; cand: number };
  message: string;
}

/** Same requests? The request-list hashes of both runs' workload.jsonl, and how many each sent. */
export function requestsProof(base: RunRecord, cand: RunRecord): RequestsProof {
  const b = base.summary?.workloadFile ?? null;
  const c = cand.summary?.workloadFile ?? null;
  const sentOf = (r: RunRecord) => (r.summary?.stages ?? []).reduce((a, s) => a + s.requests, 0);
  const sent = { base: sentOf(base), cand: sentOf(cand) };
  const strip = (w: typeof b) => (w === null ? null : { sha256: w.sha256, count: w.count, source: w.source });
  if (b === null || c === null) {
    return {
      same: null,
      base: strip(b),
      cand: strip(c),
      sent,
      message: `${b === null ? 'the base' : 'the candidate'} run has no workload.jsonl (an older run): whether both sent the same requests is not known`,
    };
  }
  if (b.sha256 !== c.sha256) {
    return {
      same: false,
      base: strip(b),
      cand: strip(c),
      sent,
      message: `the runs sent different requests (request lists ${b.sha256.slice(0, 12)} and ${c.sha256.slice(0, 12)}): a change of workload is mixed into the comparison; send the baseline's again with WORKLOAD_FILE=${join(base.runDir, RUN_FILE.workload)}`,
    };
  }
  return {
    same: true,
    base: strip(b),
    cand: strip(c),
    sent,
    message: `both runs sent the same request list (${b.count} requests, sha256 ${b.sha256.slice(0, 12)}; request k of each phase is the same line): base completed ${sent.base}, candidate ${sent.cand}`,
  };
}

const ref = (r: RunRecord): RunRef => ({
  runId: r.runId,
  runDir: r.runDir,
  scenario: r.result?.scenario ?? r.summary?.scenario ?? null,
});

function pct(x: number): string {
  return `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} %`;
}

export function summarize(headlines: readonly MetricComparison[], quality: QualityDrift | null): string {
  const parts: string[] = [];
  if (headlines.length === 0) parts.push('no latency samples in common');
  for (const headline of headlines) {
    // every percentile that moved, else the P50
    const moved = JUDGED_STATS.filter(
      (s) => headline.statVerdicts[s] === 'better' || headline.statVerdicts[s] === 'worse',
    );
    const shown = (moved.length > 0 ? moved : (['p50'] as const)).flatMap((s) =>
      headline.stats[s] === undefined ? [] : [`${s.toUpperCase()} ${pct(headline.stats[s]!.relative)}`],
    );
    parts.push(
      `${classLabel(headline.metric, headline.class)}: ${headline.verdict}${shown.length > 0 ? ` (${shown.join(', ')})` : ''}`,
    );
  }
  if (quality !== null) {
    if (quality.images.length > 0)
      parts.push(
        quality.meanPsnrDb === null
          ? `images identical (${quality.identicalImages} of ${quality.images.length})`
          : `images change by ${quality.meanPsnrDb.toFixed(1)} dB PSNR on average (min ${quality.minPsnrDb?.toFixed(1)} dB, MAD ${quality.meanAbsDiff?.toFixed(2)} of 255)`,
      );
    if (quality.meanTokenAgreement !== null)
      parts.push(
        `text token agreement ${(quality.meanTokenAgreement * 100).toFixed(1)} % (characters ${((quality.meanCharAgreement ?? 0) * 100).toFixed(1)} %)`,
      );
  }
  return parts.join('; ');
}

/** Measured values of one metric (and class) in the order they were taken: the block bootstrap resamples neighbours together. */
export function timeOrdered(table: SampleTable, metric: string, cls: string | null): number[] {
  const col = table.metrics.get(metric);
  if (col === undefined) return [];
  const keep = ofClass(cls);
  const idx = col.values.map((_, i) => i).filter((i) => isMeasured(col.tags[i] ?? {}) && keep(col.tags[i] ?? {}));
  return idx.sort((a, b) => (col.tMs[a] ?? 0) - (col.tMs[b] ?? 0) || a - b).map((i) => col.values[i] ?? 0);
}

export function compareRecords(
  base: RunRecord,
  cand: RunRecord,
  quality: QualityDrift | null,
  options: Partial<CompareOptions> = {},
  now = new Date(),
): Comparison {
  const o = { ...DEFAULT_COMPARE, ...options };
  const metrics = KEY_TRENDS.flatMap((m) =>
    classSplit([base.samples, cand.samples], m).map((cls) =>
      compareMetric(m, timeOrdered(base.samples, m, cls), timeOrdered(cand.samples, m, cls), o, cls),
    ),
  ).filter((c) => c.baseCount > 0 || c.candCount > 0);
  const headlineMetric = headlineLatencyMetric(base.samples);
  return {
    schemaVersion: COMPARE_SCHEMA_VERSION,
    createdAt: now.toISOString(),
    base: ref(base),
    cand: ref(cand),
    options: o,
    headlineMetric,
    metrics,
    availability: { base: availabilityOf(base.samples), cand: availabilityOf(cand.samples) },
    quality,
    requests: requestsProof(base, cand),
    summary: summarize(
      metrics.filter((m) => m.metric === headlineMetric && m.baseCount > 0 && m.candCount > 0),
      quality,
    ),
  };
}

export async function compareRuns(
  baseDir: string,
  candDir: string,
  options: Partial<CompareOptions> = {},
  now = new Date(),
): Promise<{ comparison: Comparison; base: RunRecord; cand: RunRecord }> {
  const [base, cand] = await Promise.all([loadRunRecord(baseDir), loadRunRecord(candDir)]);
  const quality = await qualityDrift(base.outputsDir, cand.outputsDir);
  return { comparison: compareRecords(base, cand, quality, options, now), base, cand };
}
