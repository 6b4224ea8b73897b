// OpenAI response bodies and stream chunks. `flavor` selects the legacy
// completions shape (text_completion, choices[].text) or the chat shape
// (chat.completion[.chunk], choices[].message / choices[].delta).
import { randomUUID } from 'node:crypto';
import type { FinishReason, ImageResult, TextResult } from '../engine/types.ts';
import type { TimingsJson } from '../http/server-timing.ts';

export type Flavor = 'completion' | 'chat';

export const unixSeconds = (): number => Math.floor(Date.now() / 1000);

export function newId(flavor: Flavor): string {
  return `${flavor === 'chat' ? 'chatcmpl' : 'cmpl'}-${randomUUID().replace(/-/g, '')}`;
}

export function imageResponse(result: ImageResult, timings: TimingsJson) {
  return {
    created: unixSeconds(),
    data: result.images.map((png) => ({
      b64_json: Buffer.from(png.buffer, png.byteOffset, png.byteLength).toString('base64'),
    })),
    timings,
  };
}

/** 'cancelled' has no OpenAI equivalent; a cancelled generation that still answers ends by 'length' semantics */
const finish = (r: FinishReason): 'stop' | 'length' => (r === 'stop' ? 'stop' : 'length');

export function usage(r: Pick<TextResult, 'promptTokens' | 'completionTokens'>) {
  return {
    prompt_tokens: r.promptTokens,
    completion_tokens: r.completionTokens,
    total_tokens: r.promptTokens + r.completionTokens,
  };
}

export function textResponse(flavor: Flavor, id: string, model: string, r: TextResult, timings: TimingsJson) {
  const created = unixSeconds();
  if (flavor === 'chat') {
    return {
      id,
      object: 'chat.completion',
      created,
      model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: r.text },
          logprobs: null,
          finish_reason: finish(r.finishReason),
        },
      ],
      usage: usage(r),
      timings,
    };
  }
  return {
    id,
    object: 'text_completion',
    created,
    model,
    choices: [{ index: 0, text: r.text, logprobs: null, finish_reason: finish(r.finishReason) }],
    usage: usage(r),
    timings,
  };
}

export interface ChunkContext {
  readonly flavor: Flavor;
  readonly id: string;
  readonly model: string;
  readonly created: number;
}

/** one token (or the role announcement / the final finish_reason) as a stream chunk */
export function textChunk(
  c: ChunkContext,
  delta: { role?: 'assistant'; content?: string },
  finishReason: FinishReason | null,
) {
  const base = {
    id: c.id,
    object: c.flavor === 'chat' ? 'chat.completion.chunk' : 'text_completion',
    created: c.created,
    model: c.model,
  };
  const reason = finishReason === null ? null : finish(finishReason);
  if (c.flavor === 'chat') return { ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: reason }] };
  return { ...base, choices: [{ index: 0, text: delta.content ?? '', logprobs: null, finish_reason: reason }] };
}

/** sent when stream_options.include_usage is true, after the finish chunk (OpenAI: empty choices) */
export function usageChunk(c: ChunkContext, r: TextResult) {
  const base = {
    id: c.id,
    object: c.flavor === 'chat' ? 'chat.completion.chunk' : 'text_completion',
    created: c.created,
    model: c.model,
  };
  return { ...base, choices: [], usage: usage(r) };
}

/** the last data chunk before [DONE]: the stream's server timings (see README "Timings event") */
export function timingsChunk(c: ChunkContext, timings: TimingsJson) {
  return { id: c.id, object: 'genload.timings', created: c.created, model: c.model, timings };
}
