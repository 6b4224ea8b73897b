// Test fixtures: small Hugging Face tokenizer.json files made from genload's own
// prose, so the tests load real tokenizer files without downloading any.
// - byteLevelBpe: GPT-2 style byte-level BPE, merges trained on seeded prose
//   (merges make token counts non-additive across cuts, as real BPE does).
// - wordLevel: one token per word or punctuation run, decoded with spaces between
//   tokens, so decode/encode does not round-trip the text.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededUniform } from '../../shared/stats/random.ts';
import { prose } from './text.ts';

/** GPT-2's byte → printable character map. */
function bytesToUnicode(): string[] {
  const bs: number[] = [];
  for (let b = 33; b <= 126; b++) bs.push(b);
  for (let b = 161; b <= 172; b++) bs.push(b);
  for (let b = 174; b <= 255; b++) bs.push(b);
  const map = new Array<string>(256);
  for (const b of bs) map[b] = String.fromCodePoint(b);
  let n = 0;
  for (let b = 0; b < 256; b++) if (map[b] === undefined) map[b] = String.fromCodePoint(256 + n++);
  return map;
}

const GPT2_SPLIT = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

export function byteLevelBpeJson(merges = 1000, seed = 7): object {
  const byteChar = bytesToUnicode();
  const text = prose(seededUniform(seed), 60_000);
  const freq = new Map<string, number>();
  for (const w of text.match(GPT2_SPLIT) ?? []) {
    const mapped = [...Buffer.from(w, 'utf8')].map((b) => byteChar[b]).join('\u0000');
    freq.set(mapped, (freq.get(mapped) ?? 0) + 1);
  }
  let words = [...freq].map(([w, f]) => ({ symbols: w.split('\u0000'), f }));
  const vocab: Record<string, number> = {};
  byteChar.forEach((c, i) => (vocab[c] = i));
  const learnt: string[] = [];
  for (let m = 0; m < merges; m++) {
    const pairs = new Map<string, number>();
    for (const { symbols, f } of words) for (let k = 0; k + 1 < symbols.length; k++) {
      const key = `${symbols[k]} ${symbols[k + 1]}`;
      pairs.set(key, (pairs.get(key) ?? 0) + f);
    }
    let best = '';
    let bestF = 0;
    for (const [key, f] of pairs) if (f > bestF || (f === bestF && key < best)) [best, bestF] = [key, f];
    if (bestF < 2) break;
    const [a, b] = best.split(' ') as [string, string];
    learnt.push(best);
    vocab[a + b] = Object.keys(vocab).length;
    words = words.map(({ symbols, f }) => {
      const out: string[] = [];
      for (let k = 0; k < symbols.length; k++) {
        if (symbols[k] === a && symbols[k + 1] === b) {
          out.push(a + b);
          k++;
        } else out.push(symbols[k] as string);
      }
      return { symbols: out, f };
    });
  }
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [{ id: Object.keys(vocab).length, content: '<|endoftext|>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }],
    normalizer: null,
    pre_tokenizer: byteLevel,
    post_processor: byteLevel,
    decoder: byteLevel,
    model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: false, byte_fallback: false, ignore_merges: false, vocab, merges: learnt },
  };
}

export function wordLevelJson(seed = 11): object {
  const vocab: Record<string, number> = { '[UNK]': 0 };
  for (const w of prose(seededUniform(seed), 400_000).match(/\w+|[^\w\s]+/g) ?? []) vocab[w] ??= Object.keys(vocab).length;
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [{ id: 0, content: '[UNK]', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }],
    normalizer: null,
    pre_tokenizer: { type: 'Whitespace' },
    post_processor: null,
    decoder: null,
    model: { type: 'WordLevel', vocab, unk_token: '[UNK]' },
  };
}

/** Writes `json` as <dir>/<name>/tokenizer.json and returns the file's path. */
export function writeTokenizerJson(dir: string, name: string, json: object): string {
  const folder = join(dir, name);
  mkdirSync(folder, { recursive: true });
  const file = join(folder, 'tokenizer.json');
  writeFileSync(file, JSON.stringify(json));
  return file;
}
