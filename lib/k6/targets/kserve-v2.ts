// KServe v2 / Triton JSON inference: POST /v2/models/{model}/infer.
// LLM requests use Triton's LLM backend input names (text_input, max_tokens);
// image requests send prompt, steps, width and height. Answers are not streamed,
// so only end-to-end latency (and Server-Timing, when sent) is measured.
import type { WorkItem } from '../../shared/workload/sample.ts';
import { isObject } from '../stream/chunk.ts';
import { exchangeJson } from './exchange.ts';
import type { Target } from './types.ts';

function tensor(name: string, datatype: 'BYTES' | 'INT32', value: string | number) {
  return { name, shape: [1], datatype, data: [value] };
}

export function kserveInputs(work: WorkItem): unknown[] {
  if (work.class === 'llm') return [tensor('text_input', 'BYTES', work.prompt), tensor('max_tokens', 'INT32', work.maxTokens)];
  return [tensor('prompt', 'BYTES', work.prompt), tensor('steps', 'INT32', work.steps), tensor('width', 'INT32', work.sizePx), tensor('height', 'INT32', work.sizePx), tensor('seed', 'INT32', work.seed)];
}

export const kserveV2Target: Target = {
  api: 'kserve-v2',
  classes: ['llm', 'image'],
  send(work, ctx) {
    const path = `/v2/models/${encodeURIComponent(ctx.model ?? 'model')}/infer`;
    return exchangeJson(ctx, work.class, 'POST', path, { inputs: kserveInputs(work) }, (json) => {
      if (!isObject(json) || !Array.isArray(json['outputs'])) return 'answer has no outputs array';
      return work.class === 'image' ? { images: 1, steps: work.steps } : {};
    });
  },
};
