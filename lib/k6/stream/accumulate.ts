// Folds a stream's events (each with its arrival time, ms since the request
// was sent) into the per-request numbers genload records: TTFT, inter-token
// gaps, output tokens, usage, server timings. Pure.

import type { ServerTimings } from '../server-timing/parse.ts';
import type { ChunkMeaning } from './chunk.ts';

export interface StreamStats {
  /** arrival of the first token-carrying event, ms since the request was sent */
  ttftMs?: number;
  /** gaps between consecutive token-carrying events, ms */
  itlMs: number[];
  /** token-carrying events seen (a chunk may hold more than one token on some servers) */
  tokenPieces: number;
  /** usage.completion_tokens when the server sent it, else tokenPieces */
  outputTokens: number;
  promptTokens?: number;
  /** the server's own count, when sent */
  usageCompletionTokens?: number;
  timings: ServerTimings;
  /** arrival of the last event, ms since the request was sent */
  lastEventMs?: number;
  done: boolean;
  error?: string;
}

export class StreamAccumulator {
  private firstMs: number | undefined;
  private previousMs: number | undefined;
  private lastMs: number | undefined;
  private readonly gaps: number[] = [];
  private pieces = 0;
  private usage: { promptTokens: number; completionTokens: number } | undefined;
  private timings: ServerTimings = {};
  private done = false;
  private error: string | undefined;

  add(meaning: ChunkMeaning, ms: number): void {
    this.lastMs = ms;
    if (meaning.tokenPieces > 0) {
      if (this.firstMs === undefined) this.firstMs = ms;
      else if (this.previousMs !== undefined) this.gaps.push(ms - this.previousMs);
      this.previousMs = ms;
      this.pieces += meaning.tokenPieces;
    }
    if (meaning.usage !== undefined) this.usage = meaning.usage;
    if (meaning.timings !== undefined) this.timings = { ...this.timings, ...meaning.timings };
    if (meaning.done) this.done = true;
    if (meaning.error !== undefined && this.error === undefined) this.error = meaning.error;
  }

  stats(): StreamStats {
    const out: StreamStats = {
      itlMs: this.gaps,
      tokenPieces: this.pieces,
      outputTokens: this.usage?.completionTokens ?? this.pieces,
      timings: this.timings,
      done: this.done,
    };
    if (this.firstMs !== undefined) out.ttftMs = this.firstMs;
    if (this.lastMs !== undefined) out.lastEventMs = this.lastMs;
    if (this.usage !== undefined) {
      out.usageCompletionTokens = this.usage.completionTokens;
      if (this.usage.promptTokens > 0) out.promptTokens = this.usage.promptTokens;
    }
    if (this.error !== undefined) out.error = this.error;
    return out;
  }
}
