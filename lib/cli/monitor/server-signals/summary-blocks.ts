// After k6 exits: the target's signals per stage, from monitors.json, added
// to summary.json (stages[].server, and serverSignals saying where they came
// from or why there are none). A stage's window is the span of its samples
// (samples.json.gz); the reports and the answer read the blocks from
// summary.json alone.

import { join } from 'node:path';
import type { ServerSignalsInfo, ServerStageBlock } from '../../../shared/server-signals.ts';
import { readMonitors, type Monitors } from '../../run-folder/monitors.ts';
import { RUN_FILE } from '../../run-folder/names.ts';
import { readSamples, stageSpans } from '../../run-folder/samples.ts';
import { readSummary, writeSummary } from '../../run-folder/summary-record.ts';
import { DIALECT_IDS, dialectById } from './dialects.ts';
import { allIntervals } from './intervals.ts';
import { stageBlock, type StageWindow } from './stage-block.ts';

/** Why a run has no server signals, in one clause. */
function whyNone(m: Monitors | undefined): string {
  if (m === undefined) return 'no monitors.json in the run folder';
  const url = m.target.metricsUrl;
  if (url === null) return 'no metrics URL was given';
  const failed = m.notes.find((n) => n.startsWith(url));
  if (m.server.length === 0)
    return `${url} did not answer${failed !== undefined ? ` (${failed.slice(url.length + 1)})` : ''}`;
  return `${url} exposes none of the known dialects' names (${DIALECT_IDS.join(', ')}; SERVER_DIALECT forces one)`;
}

export function serverBlocks(
  m: Monitors | undefined,
  windows: readonly StageWindow[],
): { info: ServerSignalsInfo; blocks: Map<string, ServerStageBlock> } {
  const blocks = new Map<string, ServerStageBlock>();
  const dialect = m?.serverDialect?.id == null ? undefined : dialectById(m.serverDialect.id);
  const metricsUrl = m?.target.metricsUrl ?? null;
  if (m === undefined || dialect === undefined)
    return { info: { metricsUrl, dialect: null, how: 'none', note: whyNone(m) }, blocks };
  const points = m.server.filter((p) => p.series !== undefined && Object.keys(p.series).length > 0);
  const intervals = allIntervals(
    dialect,
    points.map((p) => ({ tMs: p.tMs, series: p.series! })),
  );
  for (const w of windows) {
    const b = stageBlock(dialect, intervals, w);
    if (b.signals.length > 0) blocks.set(w.stage, b);
  }
  const info: ServerSignalsInfo = { metricsUrl, dialect: dialect.id, how: m.serverDialect!.how };
  if (blocks.size === 0) info.note = `${dialect.id} names were read, but no scrape interval fell inside a stage`;
  return { info, blocks };
}

/** Adds the server blocks to <runDir>/summary.json; no summary, nothing to do. */
export async function addServerSignals(runDir: string): Promise<void> {
  const path = join(runDir, RUN_FILE.summary);
  const summary = readSummary(path);
  if (summary === undefined) return;
  const monitors = readMonitors(runDir);
  const spans = stageSpans(await readSamples(join(runDir, RUN_FILE.samples)));
  const { info, blocks } = serverBlocks(
    monitors,
    spans.map((s) => ({ stage: s.stage, startMs: s.startMs, endMs: s.endMs })),
  );
  for (const st of summary.stages) {
    const b = blocks.get(st.stage);
    if (b !== undefined) st.server = b;
    else delete st.server;
  }
  summary.serverSignals = info;
  writeSummary(path, summary);
}
