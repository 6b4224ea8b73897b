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

import { PUNCT_TEXT, Punct, WORDS, wordOf, type Word } from './text.ts';
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
    let total = 0;
    const pieces = text.split(' ');
    for (let k = 0; k < pieces.length; k++) {
      const paras = (pieces[k] as string).split(PARA);
      for (let j = 0; j < paras.length; j++) {
        const lead = j > 0 ? Lead.para : k > 0 ? Lead.space : Lead.start;
        const c = this.countPiece(paras[j] as string, lead, j < paras.length - 1);
        if (c === undefined) return undefined;
        total += c;
      }
    }
    return total;
  }

  private countPiece(piece: string, lead: number, para: boolean): number | undefined {
    const last = piece.charAt(piece.length - 1);
    const punct = last === ',' ? Punct.comma : last === '.' ? Punct.stop : last === '?' ? Punct.question : Punct.none;
    if (para && punct !== Punct.stop && punct !== Punct.question) return undefined;
    const w = wordOf(punct === Punct.none ? piece : piece.slice(0, -1));
    return w === undefined ? undefined : this.count(w, variant(lead, punct, para));
  }
}
