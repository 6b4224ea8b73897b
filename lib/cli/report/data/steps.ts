// Per-stage figures of a run as summary.txt shows them (lib/k6/summary/
// render-text.ts), read from summary.json: the load offered (a rate, or N VUs
// for closed-model concurrency steps), what was achieved, requests, errors,
// e2e P50/P95/P99, TTFT and ITL P95, tokens/s or images/s, and the stage's
// verdict: pass, fail, not reached, or not judged. A stage where the load
// generator fell behind (validity reasons naming it) is flagged, so a reader
// can tell the target's limit from the generator's.

import { TREND, type TrafficClass } from '../../../shared/metrics.ts';
import type { ClassStageStats, StageSummary } from '../../../shared/summary.ts';
import type { RunSummary } from '../../run-folder/run-record.ts';
import { stagesNotReached } from './slo.ts';

export type StageVerdict = 'pass' | 'fail' | 'not reached' | 'not judged' | 'no SLO';

export interface StageLoad {
  /** requests/s offered (open model), or VUs (closed-model concurrency steps) */
  value: number;
  unit: 'rps' | 'VUs';
}

export interface StepTableRow {
  stage: string;
  class: TrafficClass | null;
  load: StageLoad | null;
  achievedRps: number | null;
  requests: number;
  errors: number;
  errorRate: number | null;
  e2eP50Ms: number | null;
  e2eP95Ms: number | null;
  e2eP99Ms: number | null;
  ttftP95Ms: number | null;
  itlP95Ms: number | null;
  tokensPerS: number | null;
  imagesPerS: number | null;
  verdict: StageVerdict;
  /** validity reasons naming this stage (the load generator fell behind in it) */
  generatorReasons: string[];
}

/** Concurrency of a closed-model step when the summary carries it (optional field of newer summaries). */
function concurrencyOf(st: StageSummary | undefined): number | null {
  const raw = st as (StageSummary & { concurrency?: unknown; vus?: unknown }) | undefined;
  const v = raw?.concurrency ?? raw?.vus;
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function stageLoad(st: StageSummary | undefined): StageLoad | null {
  if (st?.offeredRps !== undefined) return { value: st.offeredRps, unit: 'rps' };
  const c = concurrencyOf(st);
  return c === null ? null : { value: c, unit: 'VUs' };
}

/** Validity reasons that name a stage ("stage step-02: achieved ..."), by stage. */
export function generatorReasonsByStage(summary: RunSummary | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of summary?.validity?.reasons ?? []) {
    const m = /^stage ([^\s:]+):\s*(.*)$/.exec(r);
    if (m === null) continue;
    const list = out.get(m[1]!) ?? [];
    list.push(m[2]!);
    out.set(m[1]!, list);
  }
  return out;
}

/** Each stage's verdict, in the run's stage order (stages only the SLO names, i.e. never started, at the end). */
export function stageVerdicts(summary: RunSummary | undefined): Map<string, StageVerdict> {
  const out = new Map<string, StageVerdict>();
  const skipped = stagesNotReached(summary);
  const verdicts = summary?.slo?.verdicts ?? [];
  const names = [...(summary?.stages ?? []).map((s) => s.stage), ...verdicts.map((v) => v.stage)];
  for (const name of names) {
    if (out.has(name)) continue;
    const st = summary?.stages?.find((s) => s.stage === name);
    const mine = verdicts.filter((v) => v.stage === name);
    if (skipped.has(name)) out.set(name, 'not reached');
    else if (st !== undefined && !st.judged) out.set(name, 'not judged');
    else if (mine.length === 0) out.set(name, 'no SLO');
    else out.set(name, mine.every((v) => v.ok) ? 'pass' : 'fail');
  }
  return out;
}

const stat = (c: ClassStageStats | undefined, metric: string, key: 'p50' | 'p95' | 'p99'): number | null =>
  c?.latency[metric]?.[key] ?? null;

/** One row per stage and class (a mixed run has two per stage); stages never started get one row with no figures. */
export function stepRows(summary: RunSummary | undefined): StepTableRow[] {
  const verdicts = stageVerdicts(summary);
  const generator = generatorReasonsByStage(summary);
  const rows: StepTableRow[] = [];
  for (const [stage, verdict] of verdicts) {
    const st = summary?.stages?.find((s) => s.stage === stage);
    const classes = Object.entries(st?.classes ?? {}).filter(
      (e): e is [TrafficClass, ClassStageStats] => e[1] !== undefined,
    );
    const base = { stage, load: stageLoad(st), verdict, generatorReasons: generator.get(stage) ?? [] };
    if (classes.length === 0 || verdict === 'not reached') {
      rows.push({
        ...base,
        class: null,
        achievedRps: null,
        requests: st?.requests ?? 0,
        errors: 0,
        errorRate: null,
        e2eP50Ms: null,
        e2eP95Ms: null,
        e2eP99Ms: null,
        ttftP95Ms: null,
        itlP95Ms: null,
        tokensPerS: null,
        imagesPerS: null,
      });
      continue;
    }
    for (const [cls, c] of classes) {
      rows.push({
        ...base,
        class: cls,
        achievedRps: c.requestsPerS,
        requests: c.requests,
        errors: Math.round(c.requests * c.errorRate),
        errorRate: c.errorRate,
        e2eP50Ms: stat(c, TREND.e2eMs, 'p50'),
        e2eP95Ms: stat(c, TREND.e2eMs, 'p95'),
        e2eP99Ms: stat(c, TREND.e2eMs, 'p99'),
        ttftP95Ms: stat(c, TREND.ttftMs, 'p95'),
        itlP95Ms: stat(c, TREND.itlMs, 'p95'),
        tokensPerS: c.outputTokens > 0 ? c.outputTokensPerS : null,
        imagesPerS: c.images > 0 ? c.imagesPerS : null,
      });
    }
  }
  return rows;
}

/** Judged stages offered more than one load level (a ramp, a breakpoint, concurrency steps, a spike): pooled figures would mix them. */
export function mixesLoadLevels(summary: RunSummary | undefined): boolean {
  const levels = new Set(
    (summary?.stages ?? [])
      .filter((s) => s.judged)
      .map((s) => stageLoad(s)?.value)
      .filter((v) => v !== undefined),
  );
  return levels.size > 1;
}

/** The per-step table as text cells, shared by report.html and report.md. */
export const STEP_HEADERS = [
  'stage',
  'class',
  'offered',
  'achieved/s',
  'requests',
  'errors',
  'e2e P50',
  'e2e P95',
  'e2e P99',
  'TTFT P95',
  'ITL P95',
  'tokens/s',
  'images/s',
  'verdict',
] as const;

export function stepCells(r: StepTableRow): string[] {
  const ms = (v: number | null): string => (v === null ? '-' : v >= 100 ? v.toFixed(0) : v.toFixed(1));
  const n = (v: number | null): string =>
    v === null ? '-' : v >= 100 ? v.toFixed(0) : String(Number(v.toPrecision(3)));
  const offered = r.load === null ? '-' : r.load.unit === 'rps' ? `${n(r.load.value)}/s` : `${r.load.value} VUs`;
  const errors = r.errorRate === null ? '-' : `${r.errors} (${(r.errorRate * 100).toFixed(1)} %)`;
  const verdict =
    r.generatorReasons.length > 0 && r.verdict !== 'not reached' ? `${r.verdict}, generator behind` : r.verdict;
  return [
    r.stage,
    r.class ?? '-',
    offered,
    n(r.achievedRps),
    r.verdict === 'not reached' ? '-' : String(r.requests),
    errors,
    ms(r.e2eP50Ms),
    ms(r.e2eP95Ms),
    ms(r.e2eP99Ms),
    ms(r.ttftP95Ms),
    ms(r.itlP95Ms),
    n(r.tokensPerS),
    n(r.imagesPerS),
    verdict,
  ];
}

/** Columns worth showing: a column with no value in any row (TTFT in an image run, images/s in an LLM run) is left out. */
export function usedColumns(rows: readonly StepTableRow[]): number[] {
  const cells = rows.map(stepCells);
  return STEP_HEADERS.map((_, i) => i).filter(
    (i) => i < 2 || i === STEP_HEADERS.length - 1 || cells.some((c) => c[i] !== '-'),
  );
}
