// Hugging Face Text Generation Inference, native API: POST /generate_stream
// (SSE) or POST /generate. TGI's OpenAI mode is served by the openai-chat target.
import { isObject } from '../stream/chunk.ts';
import { interpretTgiData } from '../stream/tgi.ts';
import { exchangeJson, exchangeStream } from './exchange.ts';
import { unsupported } from './openai-chat.ts';
import type { Target } from './types.ts';

export const tgiTarget: Target = {
  api: 'tgi',
  classes: ['llm'],
  send(work, ctx) {
    if (work.class !== 'llm') return unsupported(work.class);
    const body = { inputs: work.prompt, parameters: { max_new_tokens: work.maxTokens, seed: work.seed, details: true } };
    if (work.stream) return exchangeStream(ctx, '/generate_stream', body, interpretTgiData);
    return exchangeJson(ctx, 'llm', 'POST', '/generate', body, (json) => {
      if (!isObject(json) || typeof json['generated_text'] !== 'string') return 'answer has no generated_text';
      const details = json['details'];
      const tokens = isObject(details) && typeof details['generated_tokens'] === 'number' ? details['generated_tokens'] : undefined;
      return tokens === undefined ? {} : { outputTokens: tokens, usageCompletionTokens: tokens };
    });
  },
};
