// OpenAI-compatible POST /v1/chat/completions (vLLM, llama.cpp, Ollama, TGI's OpenAI mode).
import type { LlmWork } from '../../shared/workload/sample.ts';
import { interpretOpenAiData } from '../stream/openai.ts';
import { exchangeJson, exchangeStream } from './exchange.ts';
import { lengthFields, readCompletion, scanCompletion, streamFields, withModel } from './openai-text.ts';
import type { Outcome, Target, TargetContext } from './types.ts';

export const CHAT_PATH = '/v1/chat/completions';

export function sendChat(work: LlmWork, ctx: TargetContext): Outcome {
  const body = withModel(ctx.model, { messages: [{ role: 'user', content: work.prompt }], max_tokens: work.maxTokens, seed: work.seed, ...streamFields(work), ...lengthFields(work, ctx.workload) });
  if (work.stream) return exchangeStream(ctx, CHAT_PATH, body, interpretOpenAiData);
  return exchangeJson(ctx, 'llm', 'POST', CHAT_PATH, body, readCompletion, scanCompletion, 'openai-completion');
}

export const openAiChatTarget: Target = {
  api: 'openai-chat',
  classes: ['llm'],
  send: (work, ctx) => (work.class === 'llm' ? sendChat(work, ctx) : unsupported(work.class)),
};

export function unsupported(cls: string): never {
  throw new Error(`target: this API cannot send ${cls} requests`);
}
