// OpenAI-compatible stream chunks (chat.completion.chunk and text_completion),
// as vLLM, llama.cpp's server, Ollama, TGI's OpenAI mode and the reference
// server send them, plus the reference server's final `genload.timings` event.

import { parseTimingsJson } from '../server-timing/parse.ts';
import { EMPTY_CHUNK, isObject, tryJson, type ChunkMeaning } from './chunk.ts';

function textOf(choice: unknown): string {
  if (!isObject(choice)) return '';
  const delta = choice['delta'];
  if (isObject(delta) && typeof delta['content'] === 'string') return delta['content'];
  if (typeof choice['text'] === 'string') return choice['text'];
  return '';
}

/** Interprets the data of one SSE event of an OpenAI-compatible stream. */
export function interpretOpenAiData(data: string): ChunkMeaning {
  const trimmed = data.trim();
  if (trimmed === '[DONE]') return { ...EMPTY_CHUNK, done: true };
  const json = tryJson(trimmed);
  if (!isObject(json)) return trimmed === '' ? EMPTY_CHUNK : { ...EMPTY_CHUNK, error: `stream event is not JSON: ${trimmed.slice(0, 80)}` };
  const out: ChunkMeaning = { tokenPieces: 0, textChars: 0, done: false };
  if (isObject(json['error'])) {
    const message = json['error']['message'];
    out.error = typeof message === 'string' ? message : JSON.stringify(json['error']).slice(0, 200);
  }
  const choices = json['choices'];
  if (Array.isArray(choices)) {
    for (const choice of choices) {
      const text = textOf(choice);
      if (text !== '') {
        out.tokenPieces += 1;
        out.textChars += text.length;
      }
    }
  }
  const usage = json['usage'];
  if (isObject(usage) && typeof usage['completion_tokens'] === 'number') {
    out.usage = { promptTokens: typeof usage['prompt_tokens'] === 'number' ? usage['prompt_tokens'] : 0, completionTokens: usage['completion_tokens'] };
  }
  if (isObject(json['timings'])) out.timings = parseTimingsJson(json['timings']);
  return out;
}
