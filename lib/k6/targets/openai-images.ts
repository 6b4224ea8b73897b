// OpenAI POST /v1/images/generations. The plain OpenAI body has no step count;
// the reference target adds steps, guidance_scale and seed (withExtensions).
import type { ImageWork } from '../../shared/workload/sample.ts';
import { isObject } from '../stream/chunk.ts';
import { exchangeJson } from './exchange.ts';
import { unsupported } from './openai-chat.ts';
import { withModel } from './openai-text.ts';
import type { Outcome, Target, TargetContext } from './types.ts';

export const IMAGES_PATH = '/v1/images/generations';

export function sendImage(work: ImageWork, ctx: TargetContext, withExtensions: boolean): Outcome {
  const base = { prompt: work.prompt, n: 1, size: `${work.sizePx}x${work.sizePx}`, response_format: 'b64_json' };
  const body = withModel(ctx.model, withExtensions ? { ...base, steps: work.steps, guidance_scale: 7.5, seed: work.seed } : base);
  return exchangeJson(ctx, 'image', 'POST', IMAGES_PATH, body, (json) => {
    if (!isObject(json) || !Array.isArray(json['data'])) return 'answer has no data array';
    return withExtensions ? { images: json['data'].length, steps: work.steps } : { images: json['data'].length };
  });
}

export const openAiImagesTarget: Target = {
  api: 'openai-images',
  classes: ['image'],
  send: (work, ctx) => (work.class === 'image' ? sendImage(work, ctx, false) : unsupported(work.class)),
};
