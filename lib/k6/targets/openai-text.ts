// Bodies and answers shared by the OpenAI chat and completions targets.

import type { Workload } from '../../shared/workload/defaults.ts';
import type { LlmWork } from '../../shared/workload/sample.ts';
import { isObject } from '../stream/chunk.ts';
import type { Outcome } from './types.ts';

export function withModel(model: string | undefined, body: Record<string, unknown>): Record<string, unknown> {
  return model === undefined ? body : { model, ...body };
}

export function streamFields(work: LlmWork): Record<string, unknown> {
  return work.stream ? { stream: true, stream_options: { include_usage: true } } : { stream: false };
}

/**
 * With workload.ignoreEos: the fields that force the answer to max_tokens.
 * `ignore_eos` is vLLM's and llama-server's; llama-cpp-python has none and
 * reads `min_tokens` (vLLM does too). Unknown fields are ignored by these servers.
 */
export function lengthFields(work: LlmWork, workload: Pick<Workload, 'ignoreEos'>): Record<string, unknown> {
  return workload.ignoreEos ? { ignore_eos: true, min_tokens: work.maxTokens } : {};
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

/**
 * readCompletion without JSON.parse, for the compact answers servers send
 * (`"choices":[`, one `"usage":{...}` with both counts before any nested
 * object, no `timings`): JSON.parse costs about 40 µs plus 15 µs per KB inside
 * k6's interpreter, a few indexOf calls run in Go. undefined when the body is
 * not that plain shape; the caller then parses it (same result, slower). It
 * does not match braces, so it trusts the body to be whole: exchangeJson scans
 * only answers without a transport error.
 * An unescaped `"usage"` can only be a key or the value "usage" (quotes inside
 * strings are escaped), and a value is never followed by `:`.
 */
export function scanCompletion(body: string): Partial<Outcome> | undefined {
  if (!body.startsWith('{') || !body.trimEnd().endsWith('}')) return undefined;
  if (body.indexOf('"choices":[') < 0 || body.indexOf('"timings"') >= 0) return undefined;
  const at = body.indexOf('"usage":{');
  if (at < 0 || body.indexOf('"usage"', at + 1) >= 0) return undefined;
  const end = body.indexOf('}', at);
  const usage = body.slice(at + 9, end);
  const completion = countIn(usage, '"completion_tokens":');
  const prompt = countIn(usage, '"prompt_tokens":');
  if (completion === undefined || prompt === undefined) return undefined;
  return { outputTokens: completion, usageCompletionTokens: completion, promptTokens: prompt };
}

/** The non-negative integer after `key` in a flat JSON object text, or undefined. */
function countIn(text: string, key: string): number | undefined {
  const at = text.indexOf(key);
  if (at < 0 || text.indexOf(key, at + 1) >= 0) return undefined;
  const from = at + key.length;
  let to = text.indexOf(',', from);
  if (to < 0) to = text.length;
  const raw = text.slice(from, to).trim();
  const n = Number(raw);
  return raw !== '' && Number.isInteger(n) && n >= 0 ? n : undefined;
}
