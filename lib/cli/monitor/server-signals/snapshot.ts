// One scrape reduced to what a dialect reads: each wanted series' value,
// summed over the labels the dialect does not keep apart, keyed
// `<group>|<name>` where group is the kept labels (`model_name="m"`, '' for
// none). Monitors store these snapshots (monitors.json, server[].series) so a
// report can recompute the signals later.

import type { Dialect } from './dialect.ts';
import { namesOf } from './dialect.ts';
import type { ExpositionSample } from './exposition.ts';

export type Snapshot = Record<string, number>;

export const seriesKey = (group: string, name: string): string => `${group}|${name}`;

export function splitKey(key: string): { group: string; name: string } {
  const bar = key.lastIndexOf('|');
  return { group: key.slice(0, bar), name: key.slice(bar + 1) };
}

export function groupOf(labels: Readonly<Record<string, string>>, groupLabels: readonly string[]): string {
  return groupLabels
    .filter((l) => labels[l] !== undefined)
    .map((l) => `${l}="${labels[l]}"`)
    .join(',');
}

export function snapshotOf(samples: readonly ExpositionSample[], dialect: Dialect): Snapshot {
  const wanted = new Set(namesOf(dialect));
  const out: Snapshot = {};
  for (const s of samples) {
    if (!wanted.has(s.name) || !Number.isFinite(s.value)) continue;
    // a histogram's or summary's quantile / bucket lines are not wanted (only _sum and _count)
    const key = seriesKey(groupOf(s.labels, dialect.groupLabels), s.name);
    out[key] = (out[key] ?? 0) + s.value;
  }
  return out;
}
