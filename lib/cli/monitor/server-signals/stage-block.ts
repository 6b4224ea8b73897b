// A stage's server block (summary.json stages[].server): each signal's mean,
// max, first and last value and change over the stage, per label group, from
// the scrape intervals whose middle falls inside the stage's window. Means
// are pooled, not averaged over intervals: a histogram's mean is Σsum / Σcount
// over the stage (the mean of the requests that finished in it), a rate is
// Σincrease / Σseconds, a gauge is the mean of its scrapes. Pure.

import {
  SIGNALS,
  type ServerSignalStats,
  type ServerStageBlock,
  type SignalId,
} from '../../../shared/server-signals.ts';
import type { Dialect } from './dialect.ts';
import type { IntervalSignals } from './intervals.ts';

export interface StageWindow {
  stage: string;
  startMs: number;
  endMs: number;
}

export function stageBlock(dialect: Dialect, intervals: readonly IntervalSignals[], w: StageWindow): ServerStageBlock {
  const inside = intervals.filter((iv) => {
    const mid = iv.tMs - (iv.seconds * 1000) / 2;
    return mid >= w.startMs && mid <= w.endMs;
  });
  const groups = [...new Set(inside.flatMap((iv) => [...iv.values.keys(), ...iv.parts.keys()]))].sort();
  const signals: ServerSignalStats[] = [];
  for (const group of groups) {
    for (const id of Object.keys(dialect.signals) as SignalId[]) {
      const src = dialect.signals[id]!;
      const values = inside
        .map((iv) => iv.values.get(group)?.[id])
        .filter((v): v is number => v !== undefined && Number.isFinite(v));
      if (values.length === 0) continue;
      let mean = values.reduce((a, b) => a + b, 0) / values.length;
      let total: number | undefined;
      if (src.kind === 'rate') {
        let d = 0;
        let s = 0;
        for (const iv of inside) {
          const x = iv.deltas.get(group)?.[id];
          if (x === undefined) continue;
          d += x;
          s += iv.seconds;
        }
        total = d;
        if (s > 0) mean = d / s;
      } else if (src.kind !== 'gauge') {
        let num = 0;
        let den = 0;
        for (const iv of inside) {
          const p = iv.parts.get(group)?.[id];
          if (p === undefined) continue;
          num += p.num;
          den += p.den;
        }
        if (den > 0) mean = num / den;
      }
      const first = values[0]!;
      const last = values[values.length - 1]!;
      signals.push({
        signal: id,
        unit: SIGNALS[id].unit,
        group,
        mean,
        max: Math.max(...values),
        first,
        last,
        change: last - first,
        ...(total !== undefined ? { total } : {}),
      });
    }
  }
  return { dialect: dialect.id, intervals: inside.length, signals };
}
