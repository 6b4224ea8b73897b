// One planned prompt as an HTTP request (never streamed: the whole answer is
// the output) and an answer as an output file. Bodies mirror lib/k6/targets
// (openai-chat, openai-completions, openai-images with the reference
// extensions); capture.test.ts checks they match what k6 sent. Pure.

import type { TargetApi } from '../../shared/run-config.ts';
import type { WorkItem } from '../../shared/workload/sample.ts';

export interface CaptureRequest {
  path: string;
  body: Record<string, unknown>;
}

const withModel = (model: string | undefined, body: Record<string, unknown>): Record<string, unknown> => (model === undefined ? body : { model, ...body });

export function captureRequest(api: TargetApi, model: string | undefined, work: WorkItem): CaptureRequest {
  if (work.class === 'image') {
    const base = { prompt: work.prompt, n: 1, size: `${work.sizePx}x${work.sizePx}`, response_format: 'b64_json' };
    return { path: '/v1/images/generations', body: withModel(model, api === 'reference' ? { ...base, steps: work.steps, guidance_scale: 7.5, seed: work.seed } : base) };
  }
  if (api === 'openai-completions') return { path: '/v1/completions', body: withModel(model, { prompt: work.prompt, max_tokens: work.maxTokens, seed: work.seed, stream: false }) };
  return { path: '/v1/chat/completions', body: withModel(model, { messages: [{ role: 'user', content: work.prompt }], max_tokens: work.maxTokens, seed: work.seed, stream: false }) };
}

export interface OutputFile {
  /** file extension without the dot: png or txt */
  ext: 'png' | 'txt';
  content: Uint8Array | string;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The output of an answer: the first image (b64_json, decoded) or the first choice's text; a string says why there is none. */
export function outputOf(work: WorkItem, answer: unknown): OutputFile | string {
  if (!isObject(answer)) return 'answer is not a JSON object';
  if (work.class === 'image') {
    const first = Array.isArray(answer['data']) ? answer['data'][0] : undefined;
    const b64 = isObject(first) ? first['b64_json'] : undefined;
    if (typeof b64 !== 'string' || b64 === '') return 'answer has no data[0].b64_json';
    return { ext: 'png', content: Buffer.from(b64, 'base64') };
  }
  const choice = Array.isArray(answer['choices']) ? answer['choices'][0] : undefined;
  if (!isObject(choice)) return 'answer has no choices[0]';
  const message = choice['message'];
  const text = isObject(message) ? message['content'] : choice['text'];
  if (typeof text !== 'string') return 'answer has no choices[0].message.content or choices[0].text';
  return { ext: 'txt', content: text };
}
