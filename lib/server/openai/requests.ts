// Validated OpenAI bodies -> engine requests, applying the model-dependent
// rules (known model, size, steps) and the defaults. Every rejection is an
// HttpError 400 naming the parameter and listing the valid choices.
import { randomInt } from 'node:crypto';
import type { Engine, ImageRequest, ModelCard, TextRequest } from '../engine/types.ts';
import { HttpError } from '../http/errors.ts';
import { renderChatPrompt } from './chat-template.ts';
import type { ChatBody, CompletionBody, ImageBody, SamplingBody } from './schemas.ts';

/** the requested model, or the engine's first model of that kind */
export function resolveModel(engine: Engine, kind: ModelCard['kind'], requested: string | undefined): ModelCard {
  const candidates = engine.models().filter((m) => m.kind === kind);
  const card = requested === undefined ? candidates[0] : candidates.find((m) => m.id === requested);
  if (!card) {
    const valid = candidates.map((m) => m.id).join(', ') || '(none)';
    throw new HttpError(
      400,
      'model_not_found',
      `model: unknown ${kind} model ${JSON.stringify(requested ?? '')}; valid models: ${valid}`,
      'model',
    );
  }
  return card;
}

const randomSeed = (): number => randomInt(0, 2 ** 32 - 1);

export function toImageRequest(engine: Engine, body: ImageBody): ImageRequest {
  if (body.response_format === 'url') {
    throw new HttpError(
      400,
      'unsupported_value',
      'response_format: "url" is not supported by this server (no image hosting); use "b64_json"',
      'response_format',
    );
  }
  const card = resolveModel(engine, 'diffusion', body.model);
  // a card without sizes accepts any square size from 8 to 2048 px
  const sizes = card.imageSizes ?? [];
  const smallest = sizes.length > 0 ? Math.min(...sizes) : 64;
  const size = body.size ?? `${smallest}x${smallest}`;
  const [w, h] = size.split('x').map(Number) as [number, number];
  const offered = sizes.length > 0 ? sizes.includes(w) : w >= 8 && w <= 2048;
  if (w !== h || !offered) {
    throw new HttpError(
      400,
      'invalid_size',
      `size: must be ${sizes.length > 0 ? `one of ${sizes.map((s) => `${s}x${s}`).join(', ')}` : 'square, 8x8 to 2048x2048'} for model ${card.id}, but is ${JSON.stringify(size)}`,
      'size',
    );
  }
  const maxSteps = card.maxSteps ?? 1000;
  const steps = body.steps ?? card.defaultSteps ?? Math.min(20, maxSteps);
  if (steps > maxSteps)
    throw new HttpError(
      400,
      'invalid_steps',
      `steps: must be <= ${maxSteps} for model ${card.id}, but is ${steps}`,
      'steps',
    );
  return {
    model: card.id,
    prompt: body.prompt,
    ...(body.negative_prompt === undefined ? {} : { negativePrompt: body.negative_prompt }),
    n: body.n ?? 1,
    widthPx: w,
    heightPx: h,
    steps,
    guidanceScale: body.guidance_scale ?? 7.5,
    seed: body.seed ?? randomSeed(),
  };
}

function sampling(engine: Engine, body: SamplingBody, prompt: string, maxTokens: number | undefined): TextRequest {
  const card = resolveModel(engine, 'llm', body.model);
  return {
    model: card.id,
    prompt,
    maxTokens: maxTokens ?? 16,
    temperature: body.temperature ?? 1,
    topP: body.top_p ?? 1,
    seed: body.seed ?? randomSeed(),
    stop: body.stop === undefined ? [] : typeof body.stop === 'string' ? [body.stop] : body.stop,
  };
}

export function toCompletionRequest(engine: Engine, body: CompletionBody): TextRequest {
  return sampling(engine, body, body.prompt, body.max_tokens);
}

export function toChatRequest(engine: Engine, body: ChatBody, maxPromptChars: number): TextRequest {
  const prompt = renderChatPrompt(body.messages);
  if (prompt.length > maxPromptChars) {
    throw new HttpError(
      400,
      'prompt_too_long',
      `messages: the rendered prompt must be <= ${maxPromptChars} characters, but is ${prompt.length}`,
      'messages',
    );
  }
  return sampling(engine, body, prompt, body.max_completion_tokens ?? body.max_tokens);
}
