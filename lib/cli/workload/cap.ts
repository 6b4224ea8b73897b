// maxPromptChars: the longest prompt sent, in characters over all message contents
// (the CLI sets it from the reference model's context window). The newest messages
// are kept: walking back from the last message, each content keeps its beginning
// up to the characters left (cut at a word boundary), older messages that no longer
// fit are dropped, and a leading assistant message is dropped. inputTokens is then
// recounted (count: PromptMaker.count, table look-ups for genload's own prose).

import type { LlmItem, Message } from './items.ts';

export function capMessages(item: LlmItem, maxChars: number, count: (text: string) => number): LlmItem {
  if (maxChars <= 0) return item;
  const total = item.messages.reduce((n, m) => n + m.content.length, 0);
  if (total <= maxChars) return item;
  let left = maxChars;
  const kept: Message[] = [];
  for (let k = item.messages.length - 1; k >= 0 && left > 0; k--) {
    const m = item.messages[k] as Message;
    const content = cutAtWord(m.content, left);
    if (content === '') break;
    kept.unshift({ role: m.role, content });
    left -= content.length;
  }
  while (kept.length > 1 && kept[0]?.role === 'assistant') kept.shift();
  const inputTokens = kept.reduce((n, m) => n + count(m.content), 0);
  return { ...item, messages: kept, inputTokens };
}

/** The first at most maxChars characters, cut at the last space when there is one. */
export function cutAtWord(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const cut = text.slice(0, maxChars);
  const space = cut.lastIndexOf(' ');
  return space > 0 ? cut.slice(0, space) : cut;
}
