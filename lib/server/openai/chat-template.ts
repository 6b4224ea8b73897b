// The fixed chat template: every message becomes `<|role|>\n{content}\n`, and
// the prompt ends with `<|assistant|>\n` so the model continues as the
// assistant. Array content keeps its text parts joined by '\n'.
import type { ChatMessage } from './schemas.ts';

export function renderChatPrompt(messages: readonly ChatMessage[]): string {
  const parts = messages.map((m) => {
    const content = typeof m.content === 'string' ? m.content : m.content.map((p) => p.text).join('\n');
    return `<|${m.role}|>\n${content}\n`;
  });
  return `${parts.join('')}<|assistant|>\n`;
}
