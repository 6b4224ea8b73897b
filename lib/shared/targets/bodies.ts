// The HTTP body of one workload item for one API: the bytes k6 sends for
// request i (written to workload.jsonl before the run, lib/cli/workload).
// Field names and values are each API's: OpenAI chat and completions (with
// stream_options.include_usage when streamed, ignore_eos / min_tokens when
// the output length is forced), TGI, KServe v2 / Triton, OpenAI images (the
// reference server also reads steps, guidance_scale and seed), the generic
// JSON template, and the reference server's job API. Pure.

import type { TargetApi } from '../run-config.ts';
import type { ImageItem, LlmItem, WorkloadItem } from '../workload/items.ts';

export interface BodyOptions {
  api: TargetApi;
  model: string | undefined;
  /** LLM answers are streamed (SSE) */
  stream: boolean;
  /** force every answer to max_tokens (ignore_eos and min_tokens) */
  ignoreEos: boolean;
  /** generic-json: the body template ({{prompt}}, {{maxTokens}}, {{steps}}, {{sizePx}}, {{seed}}, {{model}}) */
  requestTemplate: string;
  /** async jobs: the body is a POST /v1/jobs submission */
  job: boolean;
}

/** One text for APIs without chat messages: the contents in order, separated by a blank line. */
export function promptText(item: LlmItem): string {
  return item.messages.length === 1
    ? (item.messages[0]?.content ?? '')
    : item.messages.map((m) => m.content).join('\n\n');
}

function withModel(model: string | undefined, body: Record<string, unknown>): Record<string, unknown> {
  return model === undefined ? body : { model, ...body };
}

function llmBody(item: LlmItem, seed: number, o: BodyOptions): unknown {
  const stream = o.stream ? { stream: true, stream_options: { include_usage: true } } : { stream: false };
  const length = o.ignoreEos ? { ignore_eos: true, min_tokens: item.outputTokens } : {};
  switch (o.api) {
    case 'reference':
    case 'openai-chat':
      return withModel(o.model, { messages: item.messages, max_tokens: item.outputTokens, seed, ...stream, ...length });
    case 'openai-completions':
      return withModel(o.model, {
        prompt: promptText(item),
        max_tokens: item.outputTokens,
        seed,
        ...stream,
        ...length,
      });
    case 'tgi':
      return { inputs: promptText(item), parameters: { max_new_tokens: item.outputTokens, seed, details: true } };
    case 'kserve-v2':
      return {
        inputs: [tensor('text_input', 'BYTES', promptText(item)), tensor('max_tokens', 'INT32', item.outputTokens)],
      };
    case 'openai-images':
    case 'generic-json':
      throw new Error(`target.api: '${o.api}' has no LLM body here`);
  }
}

function imageBody(item: ImageItem, seed: number, o: BodyOptions): unknown {
  const base = { prompt: item.prompt, n: 1, size: `${item.sizePx}x${item.sizePx}`, response_format: 'b64_json' };
  switch (o.api) {
    case 'reference':
      return withModel(o.model, { ...base, steps: item.steps, guidance_scale: 7.5, seed });
    case 'openai-images':
      return withModel(o.model, base);
    case 'kserve-v2':
      return {
        inputs: [
          tensor('prompt', 'BYTES', item.prompt),
          tensor('steps', 'INT32', item.steps),
          tensor('width', 'INT32', item.sizePx),
          tensor('height', 'INT32', item.sizePx),
          tensor('seed', 'INT32', seed),
        ],
      };
    default:
      throw new Error(`target.api: '${o.api}' cannot send image requests`);
  }
}

function tensor(name: string, datatype: 'BYTES' | 'INT32', value: string | number) {
  return { name, shape: [1], datatype, data: [value] };
}

/** The reference server's job submission for an item. */
function jobBody(item: WorkloadItem, seed: number, model: string | undefined): unknown {
  const m = model === undefined ? {} : { model };
  if (item.class === 'llm')
    return { kind: 'completion', request: { ...m, prompt: promptText(item), max_tokens: item.outputTokens, seed } };
  return {
    kind: 'image',
    request: { ...m, prompt: item.prompt, n: 1, size: `${item.sizePx}x${item.sizePx}`, steps: item.steps, seed },
  };
}

/** Fills the generic-json template: {{prompt}} JSON-escaped without quotes, numbers as text. */
export function fillTemplate(template: string, item: WorkloadItem, seed: number, model: string | undefined): string {
  const prompt = item.class === 'llm' ? promptText(item) : item.prompt;
  const values: Record<string, string> = {
    prompt: JSON.stringify(prompt).slice(1, -1),
    seed: String(seed),
    model: JSON.stringify(model ?? '').slice(1, -1),
    maxTokens: item.class === 'llm' ? String(item.outputTokens) : '0',
    steps: item.class === 'image' ? String(item.steps) : '0',
    sizePx: item.class === 'image' ? String(item.sizePx) : '0',
  };
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => values[key] ?? whole);
}

/** The body of one item; `seed` is the request's own sampling seed. */
export function bodyOf(item: WorkloadItem, seed: number, o: BodyOptions): string {
  if (o.job) return JSON.stringify(jobBody(item, seed, o.model));
  if (o.api === 'generic-json') return fillTemplate(o.requestTemplate, item, seed, o.model);
  return JSON.stringify(item.class === 'llm' ? llmBody(item, seed, o) : imageBody(item, seed, o));
}
