// The fallback for tokenizers whose counts do not add up over words (units.ts):
// a prompt is seeded prose, encoded, cut to N tokens, decoded and re-encoded;
// when the re-encoded count is not N (the cut split a merge, or the tokenizer
// does not round-trip decode/encode), cuts at N±1, N±2, ... are tried, then
// words are appended or characters dropped, in a bounded loop. About two full
// encodes a prompt.

import { mixSeed, seededUniform } from '../../shared/stats/random.ts';
import { prose } from './text.ts';
import type { Tokenizer } from './tokenizer.ts';

/** Cuts tried around N before the word-by-word fallback. */
const CUT_OFFSETS = [0, -1, 1, -2, 2, -3, 3, -4, 4];
const FALLBACK_STEPS = 64;
const CALIBRATION_SEED = 0x63_61_6c;

export interface CutText {
  text: string;
  /** the text's tokens (length = the requested count) */
  ids: number[];
}

/** A maker of texts of exactly n tokens from a seed, by encoding and cutting. */
export function cutToCount(tokenizer: Tokenizer): (tokens: number, seed: number) => CutText {
  const { encode, decode } = tokenizer;
  // characters per token on genload's prose sizes the first draft; fixed, not learnt as prompts are made
  let charsPerToken: number | undefined;
  const calibrate = () => {
    const sample = prose(seededUniform(CALIBRATION_SEED), 4000);
    return sample.length / Math.max(1, encode(sample).length);
  };

  const adjust = (start: string, tokens: number): CutText => {
    let text = start;
    const u = seededUniform(mixSeed(tokens, text.length));
    for (let step = 0; step < FALLBACK_STEPS; step++) {
      const ids = encode(text);
      if (ids.length === tokens) return { text, ids };
      if (ids.length > tokens) text = text.slice(0, -1);
      else text += ` ${prose(u, 1, false).split(' ')[0] ?? 'the'}`;
    }
    throw new Error(`cannot build a text of exactly ${tokens} tokens with tokenizer ${tokenizer.name}`);
  };

  return (tokens, seed) => {
    charsPerToken ??= calibrate();
    const u = seededUniform(seed);
    const want = tokens + 2;
    let text = prose(u, Math.ceil(want * charsPerToken * 1.1) + 8);
    let ids = encode(text);
    for (let k = 0; ids.length < want && k < 32; k++) {
      text += ` ${prose(u, Math.ceil((want - ids.length) * charsPerToken * 1.3) + 16, false)}`;
      ids = encode(text);
    }
    for (const d of CUT_OFFSETS) {
      const k = tokens + d;
      if (k < 1 || k > ids.length) continue;
      const cut = decode(ids.slice(0, k));
      const again = encode(cut);
      if (again.length === tokens) return { text: cut, ids: again };
    }
    return adjust(decode(ids.slice(0, tokens)), tokens);
  };
}
