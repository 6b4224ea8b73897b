// How much of a stage's end-to-end latency the target says it spent itself,
// and how much was the client and the network. Each source reads one kind of
// server-reported time from the stage's summary; the first that has figures
// answers. Server-Timing `total` (the reference server, recorded by the Go
// client as genload_server_total_ms) is the one today; another source (e.g.
// llama.cpp's `timings`) is one more function in SERVER_TIME_SOURCES. Pure.

import { TREND } from './metrics.ts';
import type { StageSummary } from './summary.ts';

export interface ServerTimeShare {
  /** where the server's own time came from, e.g. "Server-Timing" */
  source: string;
  /** mean time the server reports per request, ms */
  serverMs: number;
  /** mean client end-to-end latency of the same stage, ms */
  e2eMs: number;
  /** serverMs / e2eMs, 0..1; the rest is client + network */
  serverShare: number;
}

export type ServerTimeSource = (stage: StageSummary) => ServerTimeShare | undefined;

/** Count-weighted mean of one Trend over the stage's classes; undefined without samples. */
function meanOverClasses(stage: StageSummary, metric: string): number | undefined {
  let n = 0;
  let sum = 0;
  for (const c of Object.values(stage.classes)) {
    const t = c?.latency[metric];
    if (t === undefined || t.count === 0) continue;
    n += t.count;
    sum += t.avg * t.count;
  }
  return n === 0 ? undefined : sum / n;
}

/** Server-Timing `total` against the client's e2e. */
export const serverTimingShare: ServerTimeSource = (stage) => {
  const serverMs = meanOverClasses(stage, TREND.serverTotalMs);
  const e2eMs = meanOverClasses(stage, TREND.e2eMs);
  if (serverMs === undefined || e2eMs === undefined || e2eMs <= 0) return undefined;
  return { source: 'Server-Timing', serverMs, e2eMs, serverShare: Math.min(1, Math.max(0, serverMs / e2eMs)) };
};

export const SERVER_TIME_SOURCES: readonly ServerTimeSource[] = [serverTimingShare];

export function serverTimeOf(
  stage: StageSummary,
  sources: readonly ServerTimeSource[] = SERVER_TIME_SOURCES,
): ServerTimeShare | undefined {
  for (const source of sources) {
    const share = source(stage);
    if (share !== undefined) return share;
  }
  return undefined;
}
