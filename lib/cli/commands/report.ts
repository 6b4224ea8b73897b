// `genload report [--run <run dir>] [--baseline <run dir>]` (make report RUN=...):
// (re)renders report.html, report.md and junit.xml of one run folder (default:
// the latest run under --results) and rebuilds the results index.

import { ExitCode } from '../../shared/exit-codes.ts';
import type { CommandIo } from '../command-io.ts';
import { runDirFlag } from './folder-flags.ts';
import { loadRunRecord } from '../run-folder/run-record.ts';
import { renderRunReports } from '../report/render-run.ts';

export const REPORT_FLAGS = ['run', 'baseline'] as const;

export async function runReport(flags: Record<string, string | undefined>, io: CommandIo = {}): Promise<number> {
  const out = io.out ?? ((text: string) => void process.stdout.write(text));
  const runDir = runDirFlag(flags, 'run', true);
  const baseline =
    flags['baseline'] !== undefined ? await loadRunRecord(runDirFlag(flags, 'baseline', false)) : undefined;
  const { files, model } = await renderRunReports(runDir, baseline !== undefined ? { baseline } : {});
  out(`${files.join('\n')}\n`);
  if (model.missing.length > 0) out(`plots not drawn:\n${model.missing.map((m) => `  - ${m}`).join('\n')}\n`);
  return ExitCode.Passed;
}
