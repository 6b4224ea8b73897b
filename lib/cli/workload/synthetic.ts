// Synthetic prompt text of an exact token count, for a given tokenizer.
//
// A prompt is seeded prose (text.ts), encoded, cut to N tokens, decoded and
// re-encoded; when the re-encoded count is not N (the cut split a merge, or the
// tokenizer does not round-trip decode/encode), cuts at N±1, N±2, ... are tried,
// then words are appended or characters dropped, in a bounded loop.
// Distinct prompts: a PromptMaker remembers the first DISTINCT_TOKENS tokens of
// every distinct prompt and redraws (new seed) a prompt whose start was seen, so
// no two requests share an accidental prefix that a server's cache would reward.

import { mixSeed, seededUniform } from '../../shared/stats/random.ts';
import { prose } from './text.ts';
import type { Tokenizer } from './tokenizer.ts';

/** How many leading tokens must differ between distinct prompts. */
export const DISTINCT_TOKENS = 4;
/** Redraws of a prompt whose start was already used (then it is kept as is). */
const DISTINCT_ATTEMPTS = 16;
/** Cuts tried around N before the word-by-word fallback. */
const CUT_OFFSETS = [0, -1, 1, -2, 2, -3, 3, -4, 4];
const FALLBACK_STEPS = 64;
const CALIBRATION_SEED = 0x63_61_6c;

export interface ExactText {
  text: string;
  /** the text's tokens (length = the requested count) */
  ids: number[];
}

export class PromptMaker {
  /** characters per token of this tokenizer on genload's prose (sizes the first draft) */
  private readonly charsPerToken: number;
  private readonly starts = new Set<string>();

  /** exact(n, seed) depends on n, seed and the tokenizer only: the calibration is fixed, not learnt as prompts are made */
  constructor(readonly tokenizer: Tokenizer) {
    const sample = prose(seededUniform(CALIBRATION_SEED), 4000);
    this.charsPerToken = sample.length / Math.max(1, tokenizer.encode(sample).length);
  }

  /** Text of exactly `tokens` tokens, from `seed`; throws when the tokenizer makes that impossible. */
  exact(tokens: number, seed: number): ExactText {
    const { encode, decode } = this.tokenizer;
    const u = seededUniform(seed);
    const want = tokens + 2;
    let text = prose(u, Math.ceil(want * this.charsPerToken * 1.1) + 8);
    let ids = encode(text);
    for (let k = 0; ids.length < want && k < 32; k++) {
      text += ` ${prose(u, Math.ceil((want - ids.length) * this.charsPerToken * 1.3) + 16, false)}`;
      ids = encode(text);
    }
    for (const d of CUT_OFFSETS) {
      const k = tokens + d;
      if (k < 1 || k > ids.length) continue;
      const cut = decode(ids.slice(0, k));
      const again = encode(cut);
      if (again.length === tokens) return { text: cut, ids: again };
    }
    return this.adjust(decode(ids.slice(0, tokens)), tokens);
  }

  /** Like exact, but the first DISTINCT_TOKENS tokens differ from every earlier distinct() text. */
  distinct(tokens: number, seed: number): ExactText {
    let last: ExactText | undefined;
    for (let attempt = 0; attempt < DISTINCT_ATTEMPTS; attempt++) {
      last = this.exact(tokens, attempt === 0 ? seed : mixSeed(seed, attempt));
      const key = last.ids.slice(0, DISTINCT_TOKENS).join(',');
      if (!this.starts.has(key)) {
        this.starts.add(key);
        return last;
      }
    }
    return last as ExactText;
  }

  /** Word-by-word fallback: drop trailing characters while too long, append words while too short. */
  private adjust(start: string, tokens: number): ExactText {
    const { encode } = this.tokenizer;
    let text = start;
    const u = seededUniform(mixSeed(tokens, text.length));
    for (let step = 0; step < FALLBACK_STEPS; step++) {
      const ids = encode(text);
      if (ids.length === tokens) return { text, ids };
      if (ids.length > tokens) text = text.slice(0, -1);
      else text += ` ${prose(u, 1, false).split(' ')[0] ?? 'the'}`;
    }
    throw new Error(`cannot build a text of exactly ${tokens} tokens with tokenizer ${this.tokenizer.name}`);
  }
}
