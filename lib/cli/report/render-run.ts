// renderRunReports(runDir): report.html, report.md and junit.xml from the files
// in one run folder, then the results index of the folder's parent. The one
// entry point `genload load` calls after k6 exits (and `genload report` reruns).

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadRunRecord, type RunRecord } from '../run-folder/run-record.ts';
import { updateResultsIndex } from '../results-index/index.ts';
import { RUN_FILE } from '../run-folder/names.ts';
import { writeFileAtomic } from '../run-folder/write.ts';
import { renderSvg } from './charts/render.ts';
import { renderHtml } from './html.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import { buildRunReport, type RunReportModel } from './model.ts';

const ARTIFACTS = [
  RUN_FILE.dashboard,
  RUN_FILE.summary,
  RUN_FILE.summaryText,
  RUN_FILE.config,
  RUN_FILE.environment,
  RUN_FILE.monitors,
  RUN_FILE.capacity,
  RUN_FILE.samples,
  RUN_FILE.k6Log,
  RUN_FILE.serverLog,
  RUN_FILE.run,
];

/** Each plot's SVG by figure id; a plot that fails to render is dropped and named in `missing`. */
export async function renderFigures(model: RunReportModel): Promise<Map<string, string>> {
  const svgs = new Map<string, string>();
  for (const f of model.figures) {
    try {
      svgs.set(f.id, await renderSvg(f.spec));
    } catch (err) {
      model.missing.push(`${f.id}: rendering failed: ${(err as Error).message}`);
    }
  }
  return svgs;
}

export interface RenderedRun {
  model: RunReportModel;
  files: string[];
}

export async function renderRunReports(
  runDir: string,
  opts: { baseline?: RunRecord; updateIndex?: boolean } = {},
): Promise<RenderedRun> {
  const run = await loadRunRecord(runDir);
  const artifacts = ARTIFACTS.filter((f) => existsSync(join(run.runDir, f)));
  const model = buildRunReport(run, { artifacts, ...(opts.baseline !== undefined ? { baseline: opts.baseline } : {}) });
  const svgs = await renderFigures(model);
  const files = [join(run.runDir, 'report.html'), join(run.runDir, 'report.md'), join(run.runDir, 'junit.xml')];
  writeFileAtomic(files[0]!, renderHtml(model, svgs));
  writeFileAtomic(files[1]!, renderMarkdown(model));
  writeFileAtomic(files[2]!, renderJunit(model));
  if (opts.updateIndex !== false) updateResultsIndex(dirname(run.runDir));
  return { model, files };
}
