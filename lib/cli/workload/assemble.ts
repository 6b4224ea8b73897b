// Word-by-word assembly of a prompt of exactly n tokens (the fast path of
// synthetic.ts): the seeded prose of text.ts is walked one word at a time, each
// word's cached token count (units.ts) added, until the next word would pass n;
// the rest, usually 1 or 2 tokens, is filled with one or two lower-case words
// of exactly that many tokens (giving words back when no such words exist, as
// with a byte tokenizer and 1 token left). The words are the same as prose()
// gives for the seed, up to the fill. A prompt never ends on a paragraph break
// (its tokens can depend on what follows). Buffers are reused: one Assembler
// per PromptMaker, not re-entrant.

import type { Uniform } from '../../shared/stats/random.ts';
import { openingWords, PARAGRAPH_SHARE, Sentence, sentenceWords, WORDS, type Word } from './text.ts';
import { hasPara, Lead, type UnitTable, unitKey, VARIANTS, variant } from './units.ts';

/** Units given back when the rest cannot be filled exactly. */
const MAX_POPS = 8;

export interface Assembled {
  text: string;
  /** the first `keyTokens` token ids */
  start: number[];
  /** every token id, when asked for (calibration) */
  ids?: number[];
}

export class Assembler {
  /** the prompt so far: unit keys (units.ts) and their counts */
  private keys = new Int32Array(1024);
  private counts = new Int32Array(1024);
  private len = 0;
  private total = 0;
  private readonly sentence = new Sentence();
  private readonly parts: string[] = [];
  /** lower-case words by token count after each lead (filling the rest of a prompt) */
  private readonly fillers: Array<Map<number, Word[]> | undefined> = [];

  constructor(
    private readonly units: UnitTable,
    private readonly tokenizerName: string,
  ) {}

  /** Exactly `n` tokens of the prose from `u`; throws when the tokenizer makes that impossible. */
  build(n: number, u: Uniform, keyTokens: number, withIds = false): Assembled {
    this.len = 0;
    this.total = 0;
    const s = this.sentence;
    const counts = this.units.counts;
    let pendingKey = -1;
    let pendingBase = 0;
    for (let first = true, sentences = 0; ; first = false) {
      // bounded: a sentence has 3 or more words, so only words of 0 tokens could need more
      if (++sentences > n + MAX_POPS * 8)
        throw new Error(
          `cannot build a text of ${n} tokens with tokenizer ${this.tokenizerName}: its words count no tokens`,
        );
      if (first) openingWords(u, s);
      else sentenceWords(u, s);
      const para = !first && u() < PARAGRAPH_SHARE;
      if (pendingKey >= 0 && this.add(pendingBase + (para ? 1 : 0), n, u)) break;
      const lead0: number = first ? Lead.start : para ? Lead.para : Lead.space;
      const last = s.n - 1;
      let k = 0;
      for (; k < last; k++) {
        const key =
          (s.words[k] as Word).id * VARIANTS + (k === 0 ? lead0 : Lead.space) * 8 + (s.punct[k] as number) * 2;
        // the common case inline: the word fits and is not the last one
        const c = counts[key] as number;
        if (c >= 0 && this.total + c < n) {
          this.put(key, c);
          continue;
        }
        if (this.add(key, n, u)) break;
      }
      if (k < last) break;
      pendingBase =
        (s.words[last] as Word).id * VARIANTS + (last === 0 ? lead0 : Lead.space) * 8 + (s.punct[last] as number) * 2;
      pendingKey = pendingBase;
    }
    return this.render(keyTokens, withIds);
  }

  private render(keyTokens: number, withIds: boolean): Assembled {
    const t = this.units;
    // joined once: a string grown by += is a rope that JSON.stringify later walks slowly
    const parts = this.parts;
    parts.length = 0;
    const start: number[] = [];
    const ids: number[] | undefined = withIds ? [] : undefined;
    for (let k = 0; k < this.len; k++) {
      const key = this.keys[k] as number;
      parts.push(t.textKey(key));
      if (start.length < keyTokens || ids !== undefined) {
        const unitIds = t.idsKey(key);
        for (let j = 0; j < unitIds.length && start.length < keyTokens; j++) start.push(unitIds[j] as number);
        if (ids !== undefined) for (let j = 0; j < unitIds.length; j++) ids.push(unitIds[j] as number);
      }
    }
    const text = parts.join('');
    return ids === undefined ? { text, start } : { text, start, ids };
  }

  private put(key: number, c: number): void {
    if (this.len === this.keys.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.keys = grow(this.keys);
      this.counts = grow(this.counts);
    }
    this.keys[this.len] = key;
    this.counts[this.len] = c;
    this.len++;
    this.total += c;
  }

  /** Adds a unit, or fills the rest when it would pass n; true when the prompt is complete. */
  private add(key: number, n: number, u: Uniform): boolean {
    const c = this.units.countKey(key);
    const sum = this.total + c;
    // a prompt never ends on a paragraph break: the break's tokens depend on what follows it
    if (sum < n || (sum === n && (key & 1) === 0)) {
      this.put(key, c);
      return sum === n;
    }
    for (let pops = 0; pops <= MAX_POPS; pops++) {
      const lead =
        this.len === 0 ? Lead.start : hasPara((this.keys[this.len - 1] as number) % VARIANTS) ? Lead.para : Lead.space;
      const fill = this.fill(n - this.total, lead, u);
      if (fill !== undefined) {
        fill.forEach((w, k) => {
          const key2 = unitKey(w, variant(k === 0 ? lead : Lead.space, 0, false));
          this.put(key2, this.units.countKey(key2));
        });
        return true;
      }
      if (this.len === 0) break;
      this.len--;
      this.total -= this.counts[this.len] as number;
    }
    throw new Error(`cannot build a text of exactly ${n} tokens with tokenizer ${this.tokenizerName}`);
  }

  /** One or two lower-case words of exactly `r` tokens together, the first after `lead`; undefined if none. */
  private fill(r: number, lead: number, u: Uniform): Word[] | undefined {
    const first = this.fillersAfter(lead);
    const one = first.get(r);
    if (one !== undefined) return [pickOf(u, one)];
    const rest = this.fillersAfter(Lead.space);
    for (const [c, ws] of first) {
      const two = rest.get(r - c);
      if (two !== undefined) return [pickOf(u, ws), pickOf(u, two)];
    }
    return undefined;
  }

  private fillersAfter(lead: number): Map<number, Word[]> {
    let m = this.fillers[lead];
    if (m === undefined) {
      const byCount = new Map<number, Word[]>();
      for (const w of WORDS) {
        if (w.capital === w) continue;
        const c = this.units.count(w, variant(lead, 0, false));
        if (c < 1) continue;
        const list = byCount.get(c);
        if (list === undefined) byCount.set(c, [w]);
        else list.push(w);
      }
      m = new Map([...byCount].sort((a, b) => a[0] - b[0]));
      this.fillers[lead] = m;
    }
    return m;
  }
}

const pickOf = <T>(u: Uniform, xs: readonly T[]): T => xs[Math.floor(u() * xs.length)] as T;
