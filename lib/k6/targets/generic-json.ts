// Any HTTP JSON endpoint: the workload's requestTemplate is filled with the work
// item and POSTed to requestPath. Only end-to-end latency, status and
// Server-Timing are measured; any 2xx answer counts as success.
import type { WorkItem } from '../../shared/workload/sample.ts';
import { exchangeJson } from './exchange.ts';
import type { Target } from './types.ts';

/** Replaces {{prompt}} (JSON-escaped, without quotes), {{maxTokens}}, {{steps}}, {{sizePx}}, {{seed}}, {{model}}. */
export function fillTemplate(template: string, work: WorkItem, model: string | undefined): string {
  const values: Record<string, string> = {
    prompt: JSON.stringify(work.prompt).slice(1, -1),
    seed: String(work.seed),
    model: JSON.stringify(model ?? '').slice(1, -1),
    maxTokens: work.class === 'llm' ? String(work.maxTokens) : '0',
    steps: work.class === 'image' ? String(work.steps) : '0',
    sizePx: work.class === 'image' ? String(work.sizePx) : '0',
  };
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => values[key] ?? whole);
}

export const genericJsonTarget: Target = {
  api: 'generic-json',
  classes: ['llm', 'image'],
  send(work, ctx) {
    const body = fillTemplate(ctx.workload.requestTemplate, work, ctx.model);
    return exchangeJson(ctx, work.class, 'POST', ctx.workload.requestPath, body, () => (work.class === 'image' ? { images: 1, steps: work.steps } : {}));
  },
};
