// The SLO as a person reads it: one row per threshold (k6 verdict in
// summary.json) with the observed value, the limit and the margin, and a line
// in words ("step-03 llm ITL p95 < 100 ms: 103.7 ms, broken by 3.7 %").
// A stage the run never reached is "not reached" on every row, whatever k6
// said (k6 passes a threshold whose metric got no samples). Feeds the HTML and
// Markdown tables (sloTable: sample-count guards only when they fail, one line
// per stage not reached) and junit.xml (every row, one test case each).

import { TREND } from '../../../shared/metrics.ts';
import type { RunSummary } from '../../run-folder/run-record.ts';
import { formatNumber } from '../../../shared/format.ts';
import { BOUND_AGGREGATION } from '../../../shared/slo/bounds.ts';
import { recordSelector } from '../../../shared/slo/compile.ts';
import { aggregationOf, type VerdictRecord } from '../../../shared/slo/record.ts';
import { legacyRecord } from './legacy-record.ts';

/** delivery: the target needed more concurrent requests than MAX_VUS allows (a verdict from what k6 delivered, not a k6 threshold) */
export type SloRowKind = 'bound' | 'guard' | 'error-rate' | 'goodput' | 'delivery';
export type SloStatus = 'pass' | 'fail' | 'not-reached' | 'no-samples';

export interface SloRow {
  /** k6 metric or sub-metric name, e.g. genload_e2e_ms{class:llm,stage:measure} */
  metric: string;
  /** the k6 metric the row judges, without tags, e.g. genload_e2e_ms (for a sample count: the counted metric's counter) */
  base: string;
  /** the threshold expression, e.g. p(95)<2000 */
  threshold: string;
  /** k6's verdict; false for a stage not reached */
  ok: boolean;
  /** the aggregate the expression names (p(95), rate, count...), when the summary has it */
  observed: number | null;
  aggregate: string;
  stage: string | null;
  class: string | null;
  kind: SloRowKind;
  /** '<', '<=', '>', '>=' */
  op: string;
  limit: number | null;
  /**
   * How far the observed value is past the limit: observed / limit - 1 for
   * latency bounds (0.037 = broken by 3.7 %; -0.2 = 20 % inside), observed -
   * limit for rates (absolute, a fraction). null when not measured.
   */
  margin: number | null;
  status: SloStatus;
  /** the row in words, e.g. "step-03 llm ITL p95 < 100 ms: 103.7 ms, broken by 3.7 %" */
  text: string;
  /** the run ended before the threshold's stage started: neither held nor breached */
  notReached?: boolean;
}

/** What a person calls each metric. */
const LABEL: Record<string, string> = {
  [TREND.e2eMs]: 'e2e',
  [TREND.ttftMs]: 'TTFT',
  [TREND.itlMs]: 'ITL',
  [TREND.tpotMs]: 'TPOT',
  [TREND.stepMs]: 'step',
  [TREND.serverQueueMs]: 'queue',
  http_req_duration: 'HTTP duration',
};

export const metricLabel = (base: string): string => LABEL[base] ?? base;

/** `p(95)<2000` -> `p(95)`; `rate<=0.01` -> `rate`. */
export function aggregateOf(expression: string): string {
  return expression.split(/[<>=!]/)[0]?.trim() ?? expression;
}

const STAT_KEY: Record<string, string> = {
  'p(50)': 'p50',
  med: 'p50',
  'p(90)': 'p90',
  'p(95)': 'p95',
  'p(99)': 'p99',
  avg: 'avg',
  min: 'min',
  max: 'max',
};
const aggregateWords = (agg: string): string => STAT_KEY[agg] ?? agg;

/** base name and tags of a k6 sub-metric name: genload_e2e_ms{class:llm,stage:x} */
export function parseSubMetric(name: string): { base: string; tags: Record<string, string> } {
  const i = name.indexOf('{');
  if (i < 0) return { base: name, tags: {} };
  const tags: Record<string, string> = {};
  for (const kv of name.slice(i + 1, name.lastIndexOf('}')).split(',')) {
    const j = kv.indexOf(':');
    if (j > 0) tags[kv.slice(0, j).trim()] = kv.slice(j + 1).trim();
  }
  return { base: name.slice(0, i), tags };
}

/** Stages the run never reached: named so by the summary, absent from its stages, or stopped before any request completed. */
export function stagesNotReached(summary: RunSummary | undefined): Set<string> {
  const out = new Set<string>();
  for (const v of summary?.slo?.verdicts ?? []) {
    const st = summary?.stages?.find((s) => s.stage === v.stage);
    if (v.notReached === true || st === undefined || (st.requests === 0 && !st.completed)) out.add(v.stage);
  }
  return out;
}

/** Kept here too: the report data and renderers read it beside the SLO rows. */
export { formatNumber };

/** A limit as written in the SLO file: whole numbers stay whole. */
const plain = (v: number | null): string => (v === null ? '?' : Number.isInteger(v) ? String(v) : formatNumber(v));
const percent = (x: number, digits = 1): string => `${(x * 100).toFixed(digits)} %`;
const OP_WORDS: Record<string, string> = { '<': '<', '<=': '≤', '>': '>', '>=': '≥' };

const KIND: Readonly<Record<VerdictRecord['metric'], SloRowKind>> = {
  requests: 'guard',
  samples: 'guard',
  errorRate: 'error-rate',
  goodput: 'goodput',
  e2eMs: 'bound',
  ttftMs: 'bound',
  itlMs: 'bound',
  tpotMs: 'bound',
  stepMs: 'bound',
  serverQueueMs: 'bound',
};

/** The value a record was judged on, from the summary's per-stage, per-class aggregates. */
export function observedOfRecord(summary: RunSummary, r: VerdictRecord): number | null {
  const stats = summary.stages?.find((s) => s.stage === r.stage)?.classes[r.class];
  if (stats === undefined) return null;
  switch (r.metric) {
    case 'requests':
      return stats.requests;
    case 'samples':
      return stats.latency[TREND[r.sampled ?? 'e2eMs']]?.count ?? 0;
    case 'errorRate':
      return stats.errorRate;
    case 'goodput':
      return stats.goodputRatio;
    default: {
      const stat =
        r.statistic === 'rate' || r.statistic === 'count' ? undefined : STAT_KEY[BOUND_AGGREGATION[r.statistic]];
      return stat === undefined
        ? null
        : ((stats.latency[TREND[r.metric]] as unknown as Record<string, number> | undefined)?.[stat] ?? null);
    }
  }
}

function rowOf(
  summary: RunSummary,
  v: NonNullable<NonNullable<RunSummary['slo']>['verdicts']>[number],
  notReached: boolean,
): SloRow {
  if (v.delivery === true) {
    // "step-04 llm offered load taken within MAX_VUS=10 concurrent requests (needed about 300): broken"
    const status: SloStatus = notReached ? 'not-reached' : v.ok ? 'pass' : 'fail';
    const text = `${v.stage} ${v.class} ${v.meaning}: ${status === 'not-reached' ? 'not reached' : v.ok ? 'held' : 'broken, k6 dropped arrivals with every allowed VU busy'}`;
    return {
      metric: v.metric,
      base: parseSubMetric(v.metric).base,
      threshold: v.expression,
      ok: v.ok && !notReached,
      observed: null,
      aggregate: 'count',
      stage: v.stage,
      class: v.class,
      kind: 'delivery',
      op: '',
      limit: null,
      margin: null,
      status,
      text,
    };
  }
  const record = v.record ?? legacyRecord(v);
  const base = record === null ? parseSubMetric(v.metric).base : recordSelector(record).metric;
  const aggregate = record === null ? aggregateOf(v.expression) : aggregationOf(record);
  const op = record?.op ?? '';
  const limit = record?.bound ?? null;
  const kind: SloRowKind = record === null ? 'bound' : (KIND[record.metric] ?? 'bound');
  const observed = notReached || record === null ? null : observedOfRecord(summary, record);
  let margin: number | null = null;
  if (observed !== null && limit !== null) {
    if (kind === 'bound')
      margin = limit > 0 ? (op.startsWith('<') ? observed / limit - 1 : 1 - observed / limit) : null;
    else margin = op.startsWith('<') ? observed - limit : limit - observed;
  }
  const status: SloStatus = notReached
    ? 'not-reached'
    : !v.ok
      ? 'fail'
      : observed === null && kind === 'bound'
        ? 'no-samples'
        : 'pass';
  const head = `${v.stage} ${v.class}`;
  let what: string;
  let value: string;
  if (kind === 'bound') {
    what = `${metricLabel(base)} ${aggregateWords(aggregate)} ${OP_WORDS[op] ?? op} ${plain(limit)} ms`;
    value = observed === null ? 'no samples' : `${formatNumber(observed)} ms`;
  } else if (kind === 'error-rate' || kind === 'goodput') {
    what = `${kind === 'goodput' ? 'goodput' : 'error rate'} ${OP_WORDS[op] ?? op} ${limit === null ? '?' : percent(limit, limit * 100 < 1 ? 2 : 1)}`;
    value = observed === null ? 'not measured' : percent(observed, 2);
  } else {
    what =
      record?.metric === 'samples'
        ? `${metricLabel(TREND[record.sampled ?? 'e2eMs'])} samples ${OP_WORDS[op] ?? op} ${plain(limit)}`
        : `requests ${OP_WORDS[op] ?? op} ${plain(limit)}`;
    value = observed === null ? 'none' : String(observed);
  }
  let verdict: string;
  if (status === 'not-reached') verdict = 'not reached';
  else if (status === 'no-samples') verdict = 'not judged';
  else if (margin === null) verdict = status === 'pass' ? 'held' : 'broken';
  else if (kind === 'bound')
    verdict = status === 'fail' ? `broken by ${percent(margin)}` : `held, ${percent(-margin)} inside`;
  else if (kind === 'guard') verdict = status === 'fail' ? 'too few to judge' : 'held';
  else verdict = status === 'fail' ? `broken by ${(margin * 100).toFixed(2)} pp` : 'held';
  const text = status === 'not-reached' ? `${head} ${what}: not reached` : `${head} ${what}: ${value}, ${verdict}`;
  const row: SloRow = {
    metric: v.metric,
    base,
    threshold: v.expression,
    ok: v.ok && !notReached,
    observed,
    aggregate,
    stage: v.stage,
    class: v.class,
    kind,
    op,
    limit,
    margin,
    status,
    text,
  };
  if (notReached) row.notReached = true;
  return row;
}

/** failed first, then held, then not reached; in stage order inside each */
const RANK: Record<SloStatus, number> = { fail: 0, 'no-samples': 1, pass: 2, 'not-reached': 3 };

/** Every threshold of the run, one row each (junit.xml shows them all). */
export function sloRows(summary: RunSummary | undefined): SloRow[] {
  const skipped = stagesNotReached(summary);
  const rows = (summary?.slo?.verdicts ?? []).map((v) => rowOf(summary!, v, skipped.has(v.stage)));
  // older summaries: k6's raw metrics with their thresholds
  for (const [metric, m] of Object.entries(summary?.metrics ?? {})) {
    for (const [threshold, t] of Object.entries(m.thresholds ?? {})) {
      const aggregate = aggregateOf(threshold);
      const alias = aggregate === 'p(50)' ? 'med' : aggregate === 'med' ? 'p(50)' : aggregate;
      const raw = m.values[aggregate] ?? m.values[alias] ?? null;
      const observed = typeof raw === 'number' ? raw : null;
      const status: SloStatus = t.ok ? 'pass' : 'fail';
      rows.push({
        metric,
        base: metric,
        threshold,
        ok: t.ok,
        observed,
        aggregate,
        stage: null,
        class: null,
        kind: 'bound',
        op: '',
        limit: null,
        margin: null,
        status,
        text: `${metric} ${threshold}: ${formatNumber(observed)}, ${t.ok ? 'held' : 'broken'}`,
      });
    }
  }
  return rows;
}

/** The rows a person reads: guards only when they fail, one line per stage not reached, failures first. */
export function sloTable(rows: readonly SloRow[]): SloRow[] {
  const out: SloRow[] = [];
  const unreached = new Map<string, { row: SloRow; classes: Set<string> }>();
  for (const r of rows) {
    if (r.status === 'not-reached') {
      const seen = unreached.get(r.stage ?? '');
      if (seen === undefined) {
        const row = { ...r };
        unreached.set(r.stage ?? '', { row, classes: new Set(r.class === null ? [] : [r.class]) });
        out.push(row);
      } else if (r.class !== null) seen.classes.add(r.class);
    } else if (r.kind !== 'guard' || r.status === 'fail') out.push(r);
  }
  for (const { row, classes } of unreached.values())
    row.text = `${row.stage}${classes.size > 0 ? ` ${[...classes].join(', ')}` : ''}: not reached (the run stopped before this stage)`;
  const order = new Map(out.map((r, i) => [r, i]));
  return out.sort((a, b) => RANK[a.status] - RANK[b.status] || (order.get(a) ?? 0) - (order.get(b) ?? 0));
}
