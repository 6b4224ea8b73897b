// handleSummary for every scenario: builds summary.json and summary.txt in the
// run folder and prints the text. k6 writes the files (the only place that does).

import { readRunConfig } from '../config.ts';
import type { CompiledSlo } from '../../shared/slo/compile.ts';
import type { Plan } from '../../shared/plan/phase.ts';
import { buildSummary, type K6SummaryData } from './build.ts';
import { renderText } from './render-text.ts';

export function summaryHandler(
  plan: Plan,
  compiled: CompiledSlo,
  sloName: string,
): (data: K6SummaryData) => Record<string, string> {
  return (data) => {
    const config = readRunConfig();
    const summary = buildSummary(data, config, plan, compiled, sloName);
    const text = renderText(summary);
    return {
      [`${config.runDir}/summary.json`]: `${JSON.stringify(summary, null, 2)}\n`,
      [`${config.runDir}/summary.txt`]: text,
      stdout: text,
    };
  };
}
