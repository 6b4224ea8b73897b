// Signals per scrape interval: from two consecutive snapshots (and the
// seconds between them), each signal's value in each label group, as the
// dialect's sources say (dialect.ts). A counter that went down (the server
// restarted) gives no value for that interval rather than a negative one.

import type { SignalId } from '../../../shared/server-signals.ts';
import type { Dialect, Source } from './dialect.ts';
import { seriesKey, splitKey, type Snapshot } from './snapshot.ts';

export interface TimedSnapshot {
  tMs: number;
  series: Snapshot;
}

/** One interval's values: group -> signal -> value; `deltas` are the counters' increases (totals over a stage). */
export interface IntervalSignals {
  /** end of the interval, epoch ms */
  tMs: number;
  seconds: number;
  values: Map<string, Partial<Record<SignalId, number>>>;
  /** rate signals: the counter's increase over the interval */
  deltas: Map<string, Partial<Record<SignalId, number>>>;
  /** histMean / ratio signals: the numerator's and denominator's increases, to pool a stage exactly */
  parts: Map<string, Partial<Record<SignalId, { num: number; den: number }>>>;
}

function groupsOf(s: Snapshot): Set<string> {
  return new Set(Object.keys(s).map((k) => splitKey(k).group));
}

/** The first of the names present in the snapshot's group. */
function firstPresent(s: Snapshot, group: string, names: readonly string[]): string | undefined {
  return names.find((n) => s[seriesKey(group, n)] !== undefined);
}

function delta(a: Snapshot, b: Snapshot, group: string, names: readonly string[]): number | undefined {
  const name = firstPresent(b, group, names);
  if (name === undefined) return undefined;
  const x = a[seriesKey(group, name)];
  const y = b[seriesKey(group, name)]!;
  return x === undefined || y < x ? undefined : y - x;
}

function partsOf(a: Snapshot, b: Snapshot, group: string, src: Source): { num: number; den: number } | undefined {
  if (src.kind === 'histMean') {
    const name = firstPresent(
      b,
      group,
      src.names.map((n) => `${n}_count`),
    );
    if (name === undefined) return undefined;
    const base = name.slice(0, -'_count'.length);
    const num = delta(a, b, group, [`${base}_sum`]);
    const den = delta(a, b, group, [name]);
    return num === undefined || den === undefined ? undefined : { num: num * src.scale, den };
  }
  if (src.kind === 'ratio') {
    const num = delta(a, b, group, src.num);
    const dens = src.den.map((names) => delta(a, b, group, names));
    if (num === undefined || dens.some((d) => d === undefined)) return undefined;
    return { num: num * src.scale, den: dens.reduce((x: number, d) => x + d!, 0) };
  }
  return undefined;
}

export function intervalSignals(dialect: Dialect, a: TimedSnapshot, b: TimedSnapshot): IntervalSignals {
  const seconds = (b.tMs - a.tMs) / 1000;
  const out: IntervalSignals = { tMs: b.tMs, seconds, values: new Map(), deltas: new Map(), parts: new Map() };
  for (const group of groupsOf(b.series)) {
    const values: Partial<Record<SignalId, number>> = {};
    const deltas: Partial<Record<SignalId, number>> = {};
    const parts: Partial<Record<SignalId, { num: number; den: number }>> = {};
    for (const [id, src] of Object.entries(dialect.signals) as [SignalId, Source][]) {
      if (src.kind === 'gauge') {
        const name = firstPresent(b.series, group, src.names);
        if (name !== undefined) values[id] = b.series[seriesKey(group, name)]! * (src.scale ?? 1);
      } else if (src.kind === 'rate') {
        const d = delta(a.series, b.series, group, src.names);
        if (d !== undefined && seconds > 0) {
          values[id] = d / seconds;
          deltas[id] = d;
        }
      } else {
        const p = partsOf(a.series, b.series, group, src);
        if (p !== undefined) {
          parts[id] = p;
          if (p.den > 0) values[id] = p.num / p.den;
        }
      }
    }
    if (Object.keys(values).length > 0 || Object.keys(parts).length > 0) {
      out.values.set(group, values);
      out.deltas.set(group, deltas);
      out.parts.set(group, parts);
    }
  }
  return out;
}

/** Every interval of a run's snapshots, in time order. */
export function allIntervals(dialect: Dialect, points: readonly TimedSnapshot[]): IntervalSignals[] {
  const out: IntervalSignals[] = [];
  for (let i = 1; i < points.length; i++) out.push(intervalSignals(dialect, points[i - 1]!, points[i]!));
  return out;
}
