// OpenAI-compatible POST /v1/completions (legacy text completions).
import { interpretOpenAiData } from '../stream/openai.ts';
import { exchangeJson, exchangeStream } from './exchange.ts';
import { unsupported } from './openai-chat.ts';
import { lengthFields, readCompletion, scanCompletion, streamFields, withModel } from './openai-text.ts';
import type { Target } from './types.ts';

const PATH = '/v1/completions';

export const openAiCompletionsTarget: Target = {
  api: 'openai-completions',
  classes: ['llm'],
  send(work, ctx) {
    if (work.class !== 'llm') return unsupported(work.class);
    const body = withModel(ctx.model, { prompt: work.prompt, max_tokens: work.maxTokens, seed: work.seed, ...streamFields(work), ...lengthFields(work, ctx.workload) });
    if (work.stream) return exchangeStream(ctx, PATH, body, interpretOpenAiData);
    return exchangeJson(ctx, 'llm', 'POST', PATH, body, readCompletion, scanCompletion, 'openai-completion');
  },
};
