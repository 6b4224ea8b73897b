// The reference server (lib/server): OpenAI chat for LLM traffic, OpenAI images
// with steps/guidance_scale/seed for image traffic, Server-Timing and timings events.
import { sendChat } from './openai-chat.ts';
import { sendImage } from './openai-images.ts';
import type { Target } from './types.ts';

export const referenceTarget: Target = {
  api: 'reference',
  classes: ['llm', 'image'],
  send: (work, ctx) => (work.class === 'llm' ? sendChat(work, ctx) : sendImage(work, ctx, true)),
};
