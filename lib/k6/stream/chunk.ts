// What one SSE data payload means for measurement, whatever the API: how many
// generated-text pieces it carries, usage counts, server timings, the end.
// Parsers for each API (openai.ts, tgi.ts) return this shape.

import type { ServerTimings } from '../server-timing/parse.ts';

export interface ChunkMeaning {
  /** number of token-carrying pieces in this event (0 for role, usage, timings, keep-alive events) */
  tokenPieces: number;
  /** characters of generated text in this event */
  textChars: number;
  /** usage as the server counted it, when this event carries it */
  usage?: { promptTokens: number; completionTokens: number };
  timings?: ServerTimings;
  /** the stream says it is complete ([DONE], or a final TGI event) */
  done: boolean;
  /** the server reported an error inside the stream */
  error?: string;
}

export const EMPTY_CHUNK: Readonly<ChunkMeaning> = Object.freeze({ tokenPieces: 0, textChars: 0, done: false });

/** JSON.parse that returns undefined instead of throwing. */
export function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
