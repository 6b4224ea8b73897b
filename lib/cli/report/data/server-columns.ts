// The steps table's server columns: the two or three signals (per label
// group) whose stage means moved most across the run's stages, so a reader
// sees beside each step's latency what the target itself reported. Movement
// is the spread of the stage means relative to the smallest (ratios against
// at least 5 percentage points, counts against at least 1), so a queue going
// 0 -> 34 outranks a decode time going 9 -> 10 ms. Pure.

import { SIGNALS, type ServerSignalStats, type SignalId } from '../../../shared/server-signals.ts';
import type { RunSummary } from '../../run-folder/run-record.ts';
import { valueWords } from './server-cause.ts';

export interface ServerColumn {
  signal: SignalId;
  group: string;
  header: string;
  /** stage -> the signal's mean over it */
  means: Map<string, ServerSignalStats>;
}

const FLOOR: Record<ServerSignalStats['unit'], number> = { ratio: 0.05, requests: 1, ms: 1, per_s: 1 };

export function serverColumns(summary: RunSummary | undefined, max = 3): ServerColumn[] {
  const cols = new Map<string, ServerColumn>();
  for (const st of summary?.stages ?? []) {
    if (!st.judged) continue;
    for (const s of st.server?.signals ?? []) {
      const key = `${s.group}|${s.signal}`;
      const c = cols.get(key) ?? {
        signal: s.signal,
        group: s.group,
        header: `${SIGNALS[s.signal].words}${s.group === '' ? '' : ` ${s.group}`}`,
        means: new Map(),
      };
      c.means.set(st.stage, s);
      cols.set(key, c);
    }
  }
  const scored = [...cols.values()]
    .filter((c) => c.means.size >= 2)
    .map((c) => {
      const means = [...c.means.values()].map((s) => s.mean);
      const lo = Math.min(...means);
      const hi = Math.max(...means);
      const unit = SIGNALS[c.signal].unit;
      return { c, score: (hi - lo) / Math.max(Math.abs(lo), FLOOR[unit]) };
    })
    .filter((x) => x.score >= 0.1)
    .sort((a, b) => b.score - a.score);
  return scored.slice(0, max).map((x) => x.c);
}

/** A column's cell for a stage: the mean, and the max when a gauge peaked well above it. */
export function serverCell(c: ServerColumn, stage: string): string {
  const s = c.means.get(stage);
  if (s === undefined) return '-';
  const peak = s.unit === 'requests' && s.max >= s.mean * 1.5 && s.max - s.mean >= 1;
  return `${valueWords(s, s.mean)}${peak ? ` (max ${valueWords(s, s.max)})` : ''}`;
}
