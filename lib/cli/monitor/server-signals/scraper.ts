// Reads each /metrics scrape during a run: the summed series of the older
// charts, and the snapshot of the dialect the endpoint speaks. The dialect is
// detected at the first scrape that shows one of a dialect's marks (or forced
// with SERVER_DIALECT); until then snapshots are empty.

import type { ServerSignalsInfo } from '../../../shared/server-signals.ts';
import type { Dialect } from './dialect.ts';
import { detectDialect, dialectById } from './dialects.ts';
import { parseExposition } from './exposition.ts';
import { snapshotOf, type Snapshot } from './snapshot.ts';
import { sumSeries } from './summed-series.ts';

export interface ScrapeReading {
  values: Record<string, number>;
  series: Snapshot;
}

export interface ServerScraper {
  read(text: string): ScrapeReading;
  readonly dialect: Dialect | undefined;
  readonly how: ServerSignalsInfo['how'];
}

/** `forced`: a dialect id (checked by the config knob against DIALECT_IDS). */
export function serverScraper(forced?: string): ServerScraper {
  let dialect = forced === undefined ? undefined : dialectById(forced);
  const how: ServerSignalsInfo['how'] = dialect !== undefined ? 'forced' : 'detected';
  return {
    read(text) {
      const { samples } = parseExposition(text);
      dialect ??= detectDialect(new Set(samples.map((s) => s.name)));
      return { values: sumSeries(samples), series: dialect === undefined ? {} : snapshotOf(samples, dialect) };
    },
    get dialect() {
      return dialect;
    },
    get how() {
      return dialect === undefined ? 'none' : how;
    },
  };
}
