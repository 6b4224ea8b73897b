// Hugging Face TGI's native `/generate_stream` events:
//   data: {"token": {"id", "text", "special"}, "generated_text": null, "details": null}
// and a final event whose generated_text is set, with details.generated_tokens.

import { EMPTY_CHUNK, isObject, tryJson, type ChunkMeaning } from './chunk.ts';

export function interpretTgiData(data: string): ChunkMeaning {
  const json = tryJson(data.trim());
  if (!isObject(json)) return data.trim() === '' ? EMPTY_CHUNK : { ...EMPTY_CHUNK, error: `stream event is not JSON: ${data.slice(0, 80)}` };
  const out: ChunkMeaning = { tokenPieces: 0, textChars: 0, done: false };
  if (typeof json['error'] === 'string') out.error = json['error'];
  const token = json['token'];
  if (isObject(token) && token['special'] !== true && typeof token['text'] === 'string') {
    out.tokenPieces = 1;
    out.textChars = token['text'].length;
  }
  if (typeof json['generated_text'] === 'string') {
    out.done = true;
    const details = json['details'];
    if (isObject(details) && typeof details['generated_tokens'] === 'number') {
      out.usage = { promptTokens: 0, completionTokens: details['generated_tokens'] };
    }
  }
  return out;
}
