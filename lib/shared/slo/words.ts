// An SLO in words, for the answer sentence, summary.txt and capacity.md:
// "interactive-chat (TTFT p95 < 500 ms, ITL p95 < 100 ms, TPOT p95 < 75 ms,
// e2e p95 < 8 s)". Built from verdict records, so a report reads the same
// words from summary.json as the CLI does from the SLO it ran with. Pure.

import type { TrafficClass } from '../metrics.ts';
import type { BoundedMetric } from './bounds.ts';
import { classRecords, type VerdictRecord } from './record.ts';
import type { Slo } from './schema.ts';

const LABEL: Readonly<Record<BoundedMetric, string>> = {
  e2eMs: 'e2e',
  ttftMs: 'TTFT',
  itlMs: 'ITL',
  tpotMs: 'TPOT',
  stepMs: 'step',
  serverQueueMs: 'queue',
};

/** 500 -> "500 ms", 8000 -> "8 s", 12500 -> "12.5 s" */
export function durationWords(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toPrecision(4))} s`;
}

/** The order a person meets the latencies of one request: first token, the stream, then the whole. */
const WORD_ORDER: readonly BoundedMetric[] = ['ttftMs', 'itlMs', 'tpotMs', 'stepMs', 'serverQueueMs', 'e2eMs'];

const percentWords = (ratio: number): string => `${Number((ratio * 100).toPrecision(3))} %`;

type Bound = Pick<VerdictRecord, 'class' | 'metric' | 'statistic' | 'op' | 'bound' | 'unit'>;

/**
 * The bounds a verdict hangs on, one class after another: each class's p95
 * latency bounds (the statistic the SLO is about), else its other latency
 * bounds, else its error-rate limit with "no latency bound" said out loud.
 */
export function boundsWords(records: readonly Bound[]): string {
  const classes = [...new Set(records.map((r) => r.class))];
  const parts: string[] = [];
  for (const cls of classes) {
    const mine = records.filter((r) => r.class === cls);
    const latency = mine.filter((r) => r.unit === 'ms');
    const p95 = latency.filter((r) => r.statistic === 'p95');
    const shown = [...(p95.length > 0 ? p95 : latency)].sort(
      (a, b) => WORD_ORDER.indexOf(a.metric as BoundedMetric) - WORD_ORDER.indexOf(b.metric as BoundedMetric),
    );
    const seen = new Set<string>();
    const words: string[] = [];
    for (const r of shown) {
      const text = `${LABEL[r.metric as BoundedMetric]} ${r.statistic} < ${durationWords(r.bound)}`;
      if (!seen.has(text)) words.push(text);
      seen.add(text);
    }
    if (words.length === 0) {
      const errors = mine.find((r) => r.metric === 'errorRate');
      words.push(`${errors === undefined ? '' : `error rate ≤ ${percentWords(errors.bound)}, `}no latency bound`);
    }
    parts.push(`${classes.length > 1 ? `${cls} ` : ''}${words.join(', ')}`);
  }
  return parts.join('; ');
}

/** "interactive-chat (TTFT p95 < 500 ms, e2e p95 < 8 s)", or the name alone when no record is known (older summaries). */
export function sloWords(name: string, records: readonly Bound[]): string {
  return records.length === 0 ? name : `${name} (${boundsWords(records)})`;
}

/** The records an SLO sets for the classes a run sends (one stage's worth), for words before any verdict exists. */
export function sloRecords(slo: Slo, classes: readonly TrafficClass[]): VerdictRecord[] {
  return classes.flatMap((cls) => {
    const rules = slo.classes[cls];
    return rules === undefined ? [] : classRecords(rules, '', cls);
  });
}
