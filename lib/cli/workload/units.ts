// Token counts of genload's prose, one word at a time.
//
// A unit is one word of the grammar (text.ts) as it sits in a prompt: its lead
// (text start, a space, or after a paragraph break), the word, the punctuation
// after it, and "\n\n" when a paragraph break follows. Tokenizers that split a
// text into pre-tokens before BPE (o200k_base's regex, a tokenizer.json's
// ByteLevel or Split pre-tokenizer, ...) never merge across the boundaries
// between these units, so a prompt's tokens are its units' tokens, one after the
// other: encode(u1 + u2 + ...) = ids(u1) ++ ids(u2) ++ ... . Each unit's ids are
// measured once, between two fixed neighbours, and cached; a prompt then costs
// table look-ups, not an encode.
//
// Whether that holds for a tokenizer is first decided from its structure
// (tokenizer.ts: Tokenizer.additivity) and then checked by encoding calibration
// prompts in full (synthetic.ts); where it does not hold, PromptMaker falls back
// to encoding whole prompts.

import { PUNCT_TEXT, Punct, WORDS, type Word } from './text.ts';
import type { Tokenizer } from './tokenizer.ts';

/** Where a unit starts: at the text's start, after a space, or after "\n\n". */
export const Lead = Object.freeze({ start: 0, space: 1, para: 2 });
const LEAD_TEXT = ['', ' ', ''];
const PARA = '\n\n';

/** The unit's variant: lead × punctuation × paragraph break after it (24 per word). */
export const variant = (lead: number, punct: number, para: boolean): number => lead * 8 + punct * 2 + (para ? 1 : 0);
export const hasPara = (v: number): boolean => (v & 1) === 1;
export const VARIANTS = 24;
/** A unit's key in a UnitTable: word id × VARIANTS + variant. */
export const unitKey = (w: Word, v: number): number => w.id * VARIANTS + v;

const [SPACE, LF, COMMA, STOP, QUESTION] = [32, 10, 44, 46, 63];
const LETTERS = 52;
/** A-Z → 0..25, a-z → 26..51, anything else (NaN past the end too) → -1 */
const letterIndex = (c: number): number => (c >= 65 && c <= 90 ? c - 65 : c >= 97 && c <= 122 ? c - 71 : -1);

/** The grammar's words as a trie over letters: next[node × 52 + letter] (0 = none), word[node] (-1 = none). */
const TRIE = (() => {
  const size = WORDS.reduce((n, w) => n + w.text.length, 1);
  const next = new Int32Array(size * LETTERS);
  const word = new Int32Array(size).fill(-1);
  let nodes = 1;
  for (const w of WORDS) {
    let node = 0;
    for (let k = 0; k < w.text.length; k++) {
      const at = node * LETTERS + letterIndex(w.text.charCodeAt(k));
      if (next[at] === 0) next[at] = nodes++;
      node = next[at] as number;
    }
    word[node] = w.id;
  }
  return { next, word };
})();

/** Left neighbours per lead, and right neighbours (a word after a space, or after a paragraph break). */
const BEFORE = ['', 'Then', 'Then.\n\n'];
const AFTER_SPACE = ' then';
const AFTER_PARA = 'Then';

export function unitText(w: Word, v: number): string {
  return LEAD_TEXT[v >> 3] + w.text + PUNCT_TEXT[(v >> 1) & 3] + (hasPara(v) ? PARA : '');
}

/** Per-tokenizer ids of every unit, measured on first use. */
export class UnitTable {
  // filled (not holey) arrays: a sparse one would fall back to a slow dictionary
  private readonly ids: Array<readonly number[] | undefined>;
  /** token count by unit key, -1 until measured (read directly in the assembler's loop) */
  readonly counts: Int32Array;
  private readonly texts: Array<string | undefined>;
  /** token counts of the fixed neighbours in context */
  private readonly beforeCount: number[];
  private readonly afterCount: [number, number];

  constructor(readonly tokenizer: Tokenizer) {
    const size = WORDS.length * VARIANTS;
    this.counts = new Int32Array(size).fill(-1);
    this.ids = new Array<readonly number[] | undefined>(size).fill(undefined);
    this.texts = new Array<string | undefined>(size).fill(undefined);
    const { encode } = tokenizer;
    this.beforeCount = BEFORE.map((b) => encode(b).length);
    this.afterCount = [
      encode(BEFORE[Lead.space] + AFTER_SPACE).length - (this.beforeCount[Lead.space] as number),
      encode(BEFORE[Lead.para] + AFTER_PARA).length - (this.beforeCount[Lead.para] as number),
    ];
  }

  /** The unit's tokens as they appear inside a prompt. */
  idsOf(w: Word, v: number): readonly number[] {
    const k = w.id * VARIANTS + v;
    let ids = this.ids[k];
    if (ids === undefined) {
      const lead = v >> 3;
      const para = hasPara(v);
      const all = this.tokenizer.encode(BEFORE[lead] + unitText(w, v) + (para ? AFTER_PARA : AFTER_SPACE));
      const from = this.beforeCount[lead] as number;
      ids = Object.freeze(all.slice(from, all.length - this.afterCount[para ? 1 : 0]));
      this.ids[k] = ids;
      this.counts[k] = ids.length;
    }
    return ids;
  }

  count(w: Word, v: number): number {
    const c = this.counts[w.id * VARIANTS + v] as number;
    return c >= 0 ? c : this.idsOf(w, v).length;
  }

  /** count by unit key (measured on first use) */
  countKey(key: number): number {
    const c = this.counts[key] as number;
    return c >= 0 ? c : this.idsOf(WORDS[(key / VARIANTS) | 0] as Word, key % VARIANTS).length;
  }

  idsKey(key: number): readonly number[] {
    return this.idsOf(WORDS[(key / VARIANTS) | 0] as Word, key % VARIANTS);
  }

  textKey(key: number): string {
    let t = this.texts[key];
    if (t === undefined) {
      t = unitText(WORDS[(key / VARIANTS) | 0] as Word, key % VARIANTS);
      this.texts[key] = t;
    }
    return t;
  }

  /**
   * The token count of `text` when it is made of the grammar's words (single
   * spaces and "\n\n" after a sentence between them, nothing at either end);
   * undefined for any other text (the caller encodes it).
   */
  countText(text: string): number | undefined {
    // one scan, one look-up a word: this runs for every capped message and trace prompt
    const end = text.length;
    if (end === 0) return undefined;
    let total = 0;
    let lead: number = Lead.start;
    let i = 0;
    while (i < end) {
      // the word, through a trie of the grammar's words: no substring, no hashing
      let j = i;
      let node = 0;
      for (let li = letterIndex(text.charCodeAt(j)); li >= 0; li = letterIndex(text.charCodeAt(++j))) {
        node = TRIE.next[node * LETTERS + li] as number;
        if (node === 0) return undefined;
      }
      if (j === i) return undefined;
      const id = TRIE.word[node] as number;
      if (id < 0) return undefined;
      const w = WORDS[id] as Word;
      const c = text.charCodeAt(j);
      const punct = c === COMMA ? Punct.comma : c === STOP ? Punct.stop : c === QUESTION ? Punct.question : Punct.none;
      if (punct !== Punct.none) j++;
      let next: number = Lead.space;
      if (j < end) {
        const sep = text.charCodeAt(j);
        if (sep === SPACE) j++;
        else if (sep === LF && text.charCodeAt(j + 1) === LF && (punct === Punct.stop || punct === Punct.question)) {
          next = Lead.para;
          j += 2;
        } else return undefined;
        if (j === end) return undefined;
      }
      total += this.countKey(w.id * VARIANTS + variant(lead, punct, next === Lead.para));
      lead = next;
      i = j;
    }
    return total;
  }
}
