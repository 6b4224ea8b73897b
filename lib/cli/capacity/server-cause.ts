// The capacity pages' cause line: the target's own signals (monitors.json of
// the search, sampled across every step) cut into each step's stages, added
// to each step's summary.json (so its own report shows them), then the same
// cause words as a run's answer (report/data/server-cause.ts) for the lowest
// failing step against the highest passing one below it. A step's stage
// windows are laid end to end from the step's start (k6 starts in well under
// a scrape interval), from the stages' planned durations.

import { join } from 'node:path';
import type { ServerStageBlock } from '../../shared/server-signals.ts';
import { serverBlocks } from '../monitor/server-signals/summary-blocks.ts';
import { readMonitors } from '../run-folder/monitors.ts';
import { RUN_FILE } from '../run-folder/names.ts';
import { serverCause } from '../report/data/server-cause.ts';
import type { RunSummary } from '../run-folder/run-record.ts';
import { RecordError } from '../run-folder/records.ts';
import { readSummary, writeSummary } from '../run-folder/summary-record.ts';
import type { Summary } from '../../shared/summary.ts';
import type { CapacityReport } from './report.ts';

/** A step's summary.json; undefined when k6 wrote none or left it unreadable (a step killed while k6 wrote it keeps its row, without server blocks). */
function readStepSummary(path: string): Summary | undefined {
  try {
    return readSummary(path);
  } catch (err) {
    if (err instanceof RecordError) return undefined;
    throw err;
  }
}

/** Adds the server blocks to each step's summary.json; returns the cause sentence, or null without monitors.json. */
export function capacityServerCause(runDir: string, report: CapacityReport): string | null {
  const monitors = readMonitors(runDir);
  if (monitors === undefined) return null;
  const judgedBlock = new Map<string, ServerStageBlock>();
  let info: RunSummary['serverSignals'];
  for (const step of report.steps) {
    const path = join(runDir, step.dir, RUN_FILE.summary);
    const summary = readStepSummary(path);
    if (summary === undefined) continue;
    let atMs = Date.parse(step.startedAt);
    const windows = summary.stages.map((st) => {
      const w = { stage: st.stage, startMs: atMs, endMs: atMs + st.durationS * 1000 };
      atMs = w.endMs;
      return w;
    });
    const blocks = serverBlocks(monitors, windows);
    info = blocks.info;
    for (const st of summary.stages) {
      const b = blocks.blocks.get(st.stage);
      if (b !== undefined) st.server = b;
      if (b !== undefined && st.judged && !judgedBlock.has(step.dir)) judgedBlock.set(step.dir, b);
    }
    summary.serverSignals = blocks.info;
    writeSummary(path, summary);
  }
  info ??= serverBlocks(monitors, []).info;
  const levelOf = (s: (typeof report.steps)[number]): number => s.offeredRps ?? s.concurrency ?? 0;
  const failing = report.steps.filter((s) => s.verdict === 'fail').sort((a, b) => levelOf(a) - levelOf(b))[0];
  if (failing === undefined) return null;
  const passing = report.steps
    .filter((s) => s.verdict === 'pass' && levelOf(s) < levelOf(failing))
    .sort((a, b) => levelOf(b) - levelOf(a))[0];
  const combined: RunSummary = {
    stages: report.steps.flatMap((s) => {
      const server = judgedBlock.get(s.dir);
      return server === undefined
        ? []
        : [
            {
              stage: s.dir,
              judged: true,
              durationS: 0,
              achievedRps: s.achievedRps,
              requests: s.requests,
              completed: true,
              classes: {},
              server,
            },
          ];
    }),
    serverSignals: info,
  };
  return serverCause(combined, failing.dir, passing?.dir ?? null)?.sentence ?? null;
}
