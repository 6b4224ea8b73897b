// Seeded prompt text of a chosen length. Words come from a small fixed
// vocabulary so a length in words approximates a length in tokens (about 1.3
// tokens per English word with BPE tokenizers; the reference server counts words).

import { normal, type Uniform } from '../stats/random.ts';
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

export function promptText(u: Uniform, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(u() * WORDS.length)] ?? 'the');
  return out.join(' ');
}
