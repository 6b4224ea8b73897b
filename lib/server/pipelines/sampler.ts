// Next-token sampling from logits: temperature, nucleus (top_p) and a seeded
// generator per request. Temperature 0 is greedy (argmax). BOS and PAD are
// never sampled.
import { Random } from './random.ts';
import { BOS, PAD } from './tokenizer.ts';

export interface SamplingParams {
  readonly temperature: number;
  readonly topP: number;
}

function allowed(token: number): boolean {
  return token !== BOS && token !== PAD;
}

export function argmax(logits: Float32Array): number {
  let best = -1;
  for (let i = 0; i < logits.length; i++) if (allowed(i) && (best < 0 || logits[i]! > logits[best]!)) best = i;
  return best;
}

/** probabilities softmax(logits / temperature), highest first */
export function sortedProbabilities(logits: Float32Array, temperature: number): { token: number; p: number }[] {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (allowed(i) && logits[i]! > max) max = logits[i]!;
  const out: { token: number; p: number }[] = [];
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    if (!allowed(i)) continue;
    const e = Math.exp((logits[i]! - max) / temperature);
    out.push({ token: i, p: e });
    sum += e;
  }
  for (const o of out) o.p /= sum;
  return out.sort((a, b) => b.p - a.p || a.token - b.token);
}

/** the smallest highest-probability set whose mass reaches topP (always ≥ 1 token) */
export function nucleus(sorted: { token: number; p: number }[], topP: number): { token: number; p: number }[] {
  let mass = 0;
  let n = 0;
  while (n < sorted.length && (n === 0 || mass < topP)) mass += sorted[n++]!.p;
  return sorted.slice(0, n);
}

export function sampleToken(logits: Float32Array, params: SamplingParams, rng: Random): number {
  if (params.temperature === 0) return argmax(logits);
  const kept = nucleus(sortedProbabilities(logits, params.temperature), params.topP);
  const total = kept.reduce((s, k) => s + k.p, 0);
  let u = rng.next() * total;
  for (const k of kept) {
    u -= k.p;
    if (u < 0) return k.token;
  }
  return kept[kept.length - 1]!.token;
}
