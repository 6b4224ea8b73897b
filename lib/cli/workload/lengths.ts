// Token-length distributions: INPUT_TOKENS / OUTPUT_TOKENS ("N", "A..B", "N~S")
// and TOKEN_PAIRS ("in:out,in:out,..."), parsed once, sampled per request.

import { exponential, normal, weightedIndex, type Uniform } from '../../shared/stats/random.ts';
import { shown, throwIfProblems } from './errors.ts';

export type LengthDist =
  | { kind: 'fixed'; tokens: number }
  /** uniform whole numbers in min..max, both included */
  | { kind: 'uniform'; min: number; max: number }
  /** normal, rounded and clipped to >= 1 */
  | { kind: 'normal'; mean: number; sd: number }
  /** exponential with the given mean, rounded, clipped to 1..max (the old maxTokensDist=exponential) */
  | { kind: 'exponential'; mean: number; max: number }
  /** one of the parts, picked by weight (the old promptSet=mixed); not written as text */
  | { kind: 'mix'; parts: ReadonlyArray<{ weight: number; dist: LengthDist }> };

export interface TokenPair {
  inputTokens: number;
  outputTokens: number;
}

const WHOLE = '([1-9]\\d*)';
const FIXED = new RegExp(`^${WHOLE}$`);
const RANGE = new RegExp(`^${WHOLE}\\.\\.${WHOLE}$`);
const NORMAL = new RegExp(`^${WHOLE}~${WHOLE}$`);
const PAIR = new RegExp(`^${WHOLE}:${WHOLE}$`);

/** The distribution, or a problem naming `field`. */
export function lengthDistProblem(field: string, text: string): LengthDist | string {
  const s = text.trim();
  const rule = `${field}: must be N, A..B or N~S with whole numbers >= 1`;
  let m = FIXED.exec(s);
  if (m) return { kind: 'fixed', tokens: Number(m[1]) };
  m = RANGE.exec(s);
  if (m) {
    const [min, max] = [Number(m[1]), Number(m[2])];
    return min <= max ? { kind: 'uniform', min, max } : `${field}: the range must have A <= B, but is ${shown(text)}`;
  }
  m = NORMAL.exec(s);
  if (m) return { kind: 'normal', mean: Number(m[1]), sd: Number(m[2]) };
  return `${rule}, but is ${shown(text)}`;
}

/** Parses one distribution; throws WorkloadInputError naming `field`. */
export function parseLengthDist(field: string, text: string): LengthDist {
  const d = lengthDistProblem(field, text);
  throwIfProblems(typeof d === 'string' ? [d] : []);
  return d as LengthDist;
}

/** Parses TOKEN_PAIRS ("128:64,512:128"); every bad pair is reported. */
export function parseTokenPairs(text: string, field = 'TOKEN_PAIRS'): TokenPair[] {
  const parts = text.split(',').map((p) => p.trim());
  const problems: string[] = [];
  const pairs: TokenPair[] = [];
  parts.forEach((p, k) => {
    const m = PAIR.exec(p);
    if (m) pairs.push({ inputTokens: Number(m[1]), outputTokens: Number(m[2]) });
    else problems.push(`${field}: pair ${k + 1} must be in:out with whole numbers >= 1, but is ${shown(p)}`);
  });
  throwIfProblems(problems);
  return pairs;
}

/** One length from the distribution (always a whole number >= 1). */
export function sampleLength(dist: LengthDist, u: Uniform): number {
  switch (dist.kind) {
    case 'fixed':
      return dist.tokens;
    case 'uniform':
      return dist.min + Math.floor(u() * (dist.max - dist.min + 1));
    case 'normal':
      return Math.max(1, Math.round(dist.mean + dist.sd * normal(u)));
    case 'exponential':
      return Math.min(dist.max, Math.max(1, Math.round(exponential(u, dist.mean))));
    case 'mix': {
      const part =
        dist.parts[
          weightedIndex(
            u,
            dist.parts.map((p) => p.weight),
          )
        ];
      return part === undefined ? 1 : sampleLength(part.dist, u);
    }
  }
}

/** One pair, picked uniformly. */
export function samplePair(pairs: readonly TokenPair[], u: Uniform): TokenPair {
  return pairs[Math.floor(u() * pairs.length)] as TokenPair;
}

/** The text form of a distribution, for reports: "128", "128..512", "256~32" (the last two kinds have no knob syntax). */
export function formatLengthDist(d: LengthDist): string {
  switch (d.kind) {
    case 'fixed':
      return String(d.tokens);
    case 'uniform':
      return `${d.min}..${d.max}`;
    case 'normal':
      return `${d.mean}~${d.sd}`;
    case 'exponential':
      return `exponential(mean ${d.mean}, max ${d.max})`;
    case 'mix':
      return `mix(${d.parts.map((p) => `${p.weight}: ${formatLengthDist(p.dist)}`).join(', ')})`;
  }
}
