// Seeded pseudo-random numbers and the few distributions genload samples from.
// Deterministic for a seed, so a run's workload and arrival schedule can be
// reproduced exactly. Pure: runs in k6 and in Node.

/** A source of uniform numbers in [0, 1). */
export type Uniform = () => number;

/** mulberry32: a small, fast 32-bit generator; good enough for workloads (not cryptography). */
export function seededUniform(seed: number): Uniform {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes several integers into one 32-bit seed (e.g. run seed, VU, iteration), so streams do not overlap. */
export function mixSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  // indexed loop, not for-of: k6's interpreter runs the iterator protocol slowly (this runs once per request)
  for (let i = 0; i < parts.length; i++) {
    h = Math.imul(h ^ ((parts[i] ?? 0) >>> 0), 0x01000193) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0x5bd1e995) >>> 0;
  }
  return h >>> 0;
}

/** Standard normal by Box-Muller. */
export function normal(u: Uniform): number {
  const u1 = Math.max(u(), Number.MIN_VALUE);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u());
}

/** Exponential with the given mean. */
export function exponential(u: Uniform, mean: number): number {
  return -Math.log(1 - u()) * mean;
}

/**
 * Gamma(shape, scale) by Marsaglia and Tsang (2000); shape < 1 uses the
 * boost gamma(shape+1) · U^(1/shape). Mean = shape · scale.
 */
export function gamma(u: Uniform, shape: number, scale: number): number {
  if (shape < 1) return gamma(u, shape + 1, scale) * Math.pow(Math.max(u(), Number.MIN_VALUE), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (let i = 0; i < 1000; i++) {
    let x: number;
    let v: number;
    do {
      x = normal(u);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const w = u();
    if (w < 1 - 0.0331 * x ** 4 || Math.log(w) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * scale;
  }
  return shape * scale; // unreachable in practice: acceptance probability is above 0.95 per try
}

/** Picks an index with probability proportional to its weight. */
export function weightedIndex(u: Uniform, weights: readonly number[]): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let r = u() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i] ?? 0;
    if (r < 0) return i;
  }
  return weights.length - 1;
}
