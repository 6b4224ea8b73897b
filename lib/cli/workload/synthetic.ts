// Synthetic prompt text of an exact token count, for a given tokenizer.
//
// Fast path (tokenizers whose counts add up over words, units.ts): the seeded
// prose is walked word by word, adding each word's cached token count, until the
// next word would pass N; the rest (usually 1 or 2 tokens) is filled with short
// words of exactly that many tokens (assemble.ts). No prompt is encoded. The tokenizer's
// additivity is decided from its structure and then checked here: calibration
// prompts are encoded in full and must give exactly the ids the units add up to.
// Fallback (cut.ts): encode a draft, cut at N tokens, decode, re-encode.
//
// Distinct prompts: a PromptMaker remembers the first DISTINCT_TOKENS tokens of
// every distinct prompt and redraws (new seed) a prompt whose start was seen, so
// no two requests share an accidental prefix that a server's cache would reward.

import { mixSeed, seededUniform } from '../../shared/stats/random.ts';
import { Assembler, type Assembled } from './assemble.ts';
import { cutToCount } from './cut.ts';
import type { Tokenizer } from './tokenizer.ts';
import { UnitTable } from './units.ts';

/** How many leading tokens must differ between distinct prompts. */
export const DISTINCT_TOKENS = 4;
/** Redraws of a prompt whose start was already used (then it is kept as is). */
const DISTINCT_ATTEMPTS = 16;
/** Calibration: prompts of these lengths from these seeds, encoded in full. */
const CALIBRATION_LENGTHS = [1, 2, 3, 5, 8, 13, 40, 97, 200, 333, 512, 700];
const CALIBRATION_SEED = 0x63_61_6c;

export interface ExactText {
  text: string;
  /** its token count (= the requested count) */
  tokens: number;
  /** its first DISTINCT_TOKENS token ids, joined: equal starts give equal keys */
  startKey: string;
}

/** How prompts are counted (per word, or by encoding whole prompts) and why; the bench records it. */
export interface CountingMode {
  fast: boolean;
  reason: string;
}

export class PromptMaker {
  private readonly starts = new Set<string>();
  private readonly units: UnitTable;
  readonly mode: CountingMode;
  private readonly assembler: Assembler;
  private readonly cutter: ReturnType<typeof cutToCount>;

  /** exact(n, seed) depends on n, seed and the tokenizer only */
  constructor(readonly tokenizer: Tokenizer) {
    this.units = new UnitTable(tokenizer);
    this.assembler = new Assembler(this.units, tokenizer.name);
    this.cutter = cutToCount(tokenizer);
    this.mode = tokenizer.additivity.additive ? this.calibrate() : { fast: false, reason: tokenizer.additivity.reason };
  }

  /** Exact token count of any text: table look-ups for genload's prose under a fast tokenizer, else an encode. */
  count(text: string): number {
    if (this.mode.fast) {
      const n = this.units.countText(text);
      if (n !== undefined) return n;
    }
    return this.tokenizer.encode(text).length;
  }

  /** Text of exactly `tokens` tokens, from `seed`; throws when the tokenizer makes that impossible. */
  exact(tokens: number, seed: number): ExactText {
    if (!this.mode.fast) {
      const { text, ids } = this.cutter(tokens, seed);
      return { text, tokens, startKey: ids.slice(0, DISTINCT_TOKENS).join(',') };
    }
    const made = this.assembler.build(tokens, seededUniform(seed), DISTINCT_TOKENS);
    return { text: made.text, tokens, startKey: made.start.join(',') };
  }

  /** Like exact, but the first DISTINCT_TOKENS tokens differ from every earlier distinct() text. */
  distinct(tokens: number, seed: number): ExactText {
    let last: ExactText | undefined;
    for (let attempt = 0; attempt < DISTINCT_ATTEMPTS; attempt++) {
      last = this.exact(tokens, attempt === 0 ? seed : mixSeed(seed, attempt));
      if (!this.starts.has(last.startKey)) {
        this.starts.add(last.startKey);
        return last;
      }
    }
    return last as ExactText;
  }

  /** Checks the fast path against full encodes; any difference turns it off for this tokenizer. */
  private calibrate(): CountingMode {
    const { encode } = this.tokenizer;
    for (let k = 0; k < CALIBRATION_LENGTHS.length; k++) {
      const n = CALIBRATION_LENGTHS[k] as number;
      let made: Assembled;
      try {
        made = this.assembler.build(n, seededUniform(mixSeed(CALIBRATION_SEED, k)), DISTINCT_TOKENS, true);
      } catch (err) {
        return { fast: false, reason: `calibration: ${(err as Error).message}` };
      }
      const full = encode(made.text);
      if (full.length !== n || full.join(',') !== (made.ids ?? []).join(','))
        return {
          fast: false,
          reason: `calibration: a ${n}-token prompt encodes to ${full.length} tokens in full (words do not add up)`,
        };
    }
    return { fast: true, reason: this.tokenizer.additivity.reason };
  }
}
