// How a dialect maps a server's exposition names onto genload's signals
// (lib/shared/server-signals.ts). A source names the series, in order of
// preference when a server renamed them between releases, and how the value
// of one scrape interval is made from them:
//   gauge      the value at the end of the interval (× scale)
//   rate       a counter's increase per second over the interval
//   histMean   a histogram's (or summary's) Δsum / Δcount: the mean of what
//              finished inside the interval (× scale, e.g. 1000 for s -> ms)
//   ratio      Δ of one counter over Δ of the sum of others (× scale): e.g.
//              prefix-cache hits / queries, seconds spent / tokens
// Label sets are kept apart by the dialect's groupLabels (model_name,
// engine, ...); every other label (le, quantile, stage, ...) is summed.

import type { DialectId, SignalId } from '../../../shared/server-signals.ts';

export type Source =
  | { kind: 'gauge'; names: readonly string[]; scale?: number }
  | { kind: 'rate'; names: readonly string[] }
  | { kind: 'histMean'; names: readonly string[]; scale: number }
  | { kind: 'ratio'; num: readonly string[]; den: readonly (readonly string[])[]; scale: number };

export interface Dialect {
  id: DialectId;
  /** the server, for people: "vLLM (v1 engine, and v0's gpu_cache_usage_perc)" */
  server: string;
  /** names whose presence says "this is that server"; any one of them is enough */
  marks: readonly string[];
  /** labels that keep series apart (never summed across) */
  groupLabels: readonly string[];
  signals: Partial<Record<SignalId, Source>>;
}

/** Every series name a dialect reads (histograms as their _sum and _count). */
export function namesOf(d: Dialect): string[] {
  const out = new Set<string>();
  for (const s of Object.values(d.signals)) {
    if (s === undefined) continue;
    if (s.kind === 'histMean')
      for (const n of s.names) {
        out.add(`${n}_sum`);
        out.add(`${n}_count`);
      }
    else if (s.kind === 'ratio') for (const n of [...s.num, ...s.den.flat()]) out.add(n);
    else for (const n of s.names) out.add(n);
  }
  return [...out];
}
