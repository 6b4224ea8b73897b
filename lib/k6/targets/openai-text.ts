// Bodies and answers shared by the OpenAI chat and completions targets.

import type { LlmWork } from '../../shared/workload/sample.ts';
import { isObject } from '../stream/chunk.ts';
import type { Outcome } from './types.ts';

export function withModel(model: string | undefined, body: Record<string, unknown>): Record<string, unknown> {
  return model === undefined ? body : { model, ...body };
}

export function streamFields(work: LlmWork): Record<string, unknown> {
  return work.stream ? { stream: true, stream_options: { include_usage: true } } : { stream: false };
}

/** Fields of a non-streamed completion: usage tokens (required for token metrics). */
export function readCompletion(json: unknown): Partial<Outcome> | string {
  if (!isObject(json) || !Array.isArray(json['choices'])) return 'answer has no choices array';
  const usage = json['usage'];
  if (!isObject(usage) || typeof usage['completion_tokens'] !== 'number') return { outputTokens: 0 };
  const out: Partial<Outcome> = { outputTokens: usage['completion_tokens'], usageCompletionTokens: usage['completion_tokens'] };
  if (typeof usage['prompt_tokens'] === 'number') out.promptTokens = usage['prompt_tokens'];
  return out;
}
