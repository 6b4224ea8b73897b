// Byte-level tokenizer: one token per UTF-8 byte (0-255) plus special tokens.
// Any text round-trips exactly; there is no unknown token.

export const BOS = 256;
export const EOS = 257;
export const PAD = 258;
export const VOCAB_SIZE = 259;

const encoder = new TextEncoder();

export function encode(text: string): number[] {
  return Array.from(encoder.encode(text));
}

/** BOS + prompt bytes (the last ones kept if too long) for the LLM */
export function encodePrompt(text: string, maxTokens: number): number[] {
  const bytes = encode(text);
  return [BOS, ...bytes.slice(Math.max(0, bytes.length - (maxTokens - 1)))];
}

/** exactly `length` tokens for the text encoder: BOS, bytes (truncated), EOS, then PAD */
export function encodeFixed(text: string, length: number): BigInt64Array {
  const out = new BigInt64Array(length).fill(BigInt(PAD));
  const body = encode(text).slice(0, Math.max(0, length - 2));
  const tokens = [BOS, ...body, EOS].slice(0, length);
  tokens.forEach((t, i) => (out[i] = BigInt(t)));
  return out;
}

/**
 * Turns generated tokens into text as they arrive. A multi-byte UTF-8 character
 * split across tokens is held back until complete, so each piece is valid text;
 * invalid byte sequences become U+FFFD. Special tokens produce no text.
 */
export class IncrementalDecoder {
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });

  push(token: number): string {
    if (token < 0 || token > 255) return '';
    return this.decoder.decode(Uint8Array.of(token), { stream: true });
  }

  /** whatever is held back (an unfinished character becomes U+FFFD) */
  flush(): string {
    return this.decoder.decode();
  }
}
