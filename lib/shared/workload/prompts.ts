// Seeded prompt text of a chosen length. Words come from a small fixed
// vocabulary so a length in words approximates a length in tokens (about 1.3
// tokens per English word with BPE tokenizers; the reference server counts words).
// A prompt is a window of one seeded pool text (cheap inside k6, see POOL_WORDS).

import { normal, seededUniform, type Uniform } from '../stats/random.ts';
import type { PromptSet } from './defaults.ts';

const WORDS = (
  'the a of to and in is for on with as at by from that this it an be are was ' +
  'light city river mountain forest ocean robot garden castle painting portrait sunset morning ' +
  'quiet bright ancient modern small large golden silver blue green red soft sharp detailed ' +
  'explain describe summarize compare write list translate answer story poem letter question ' +
  'model system network memory engine signal latency throughput request server cache token'
).split(' ');

/** Length distributions in words: lognormal around a median, clamped to [min, max]. */
const LENGTHS: Readonly<Record<'short' | 'long', { medianWords: number; sigma: number; min: number; max: number }>> = {
  short: { medianWords: 16, sigma: 0.5, min: 4, max: 64 },
  long: { medianWords: 256, sigma: 0.4, min: 96, max: 1024 },
};

/** Share of short prompts in the mixed set. */
export const MIXED_SHORT_SHARE = 0.7;

export function samplePromptWords(u: Uniform, set: PromptSet): number {
  const kind = set === 'mixed' ? (u() < MIXED_SHORT_SHARE ? 'short' : 'long') : set;
  const d = LENGTHS[kind];
  const words = Math.round(d.medianWords * Math.exp(d.sigma * normal(u)));
  return Math.min(d.max, Math.max(d.min, words));
}

/**
 * Words in the prompt pool: every prompt is a window of this one seeded text.
 * Building a prompt word by word costs one random draw per word, about 4 µs a
 * word in k6's interpreter (0.2-0.7 ms a request); a window costs one draw and
 * one slice. Four times the longest prompt (1024 words), so windows of long
 * prompts rarely start at the same word (same start = shared prefix, which a
 * server's prefix cache would reward).
 */
export const POOL_WORDS = 4096;
/** Fixed, not the run seed: the pool is the same text in every run; the run seed picks the windows. */
const POOL_SEED = 0x70_0c_5e_ed;

interface PromptPool {
  text: string;
  /** starts[i]: character offset of word i; starts[POOL_WORDS] = text.length + 1 (one past the last space) */
  starts: number[];
}

let pool: PromptPool | undefined;

/** The pool, built on first use (k6: call it in the init context so no request pays for it). */
export function promptPool(): PromptPool {
  if (pool !== undefined) return pool;
  const u = seededUniform(POOL_SEED);
  const words: string[] = [];
  const starts: number[] = [];
  let at = 0;
  for (let i = 0; i < POOL_WORDS; i++) {
    const w = WORDS[Math.floor(u() * WORDS.length)] ?? 'the';
    words.push(w);
    starts.push(at);
    at += w.length + 1;
  }
  starts.push(at);
  pool = { text: words.join(' '), starts };
  return pool;
}

/** `words` words of seeded text: a window of the pool at a position drawn from u (longer than the pool: windows joined). */
export function promptText(u: Uniform, words: number): string {
  const p = promptPool();
  const parts: string[] = [];
  for (let left = Math.max(0, Math.floor(words)); left > 0; left -= POOL_WORDS) {
    const n = Math.min(left, POOL_WORDS);
    const first = Math.floor(u() * (POOL_WORDS - n + 1));
    parts.push(p.text.slice(p.starts[first] ?? 0, (p.starts[first + n] ?? 1) - 1));
  }
  return parts.length === 1 ? (parts[0] ?? '') : parts.join(' ');
}
