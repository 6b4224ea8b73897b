// Seeded pseudo-random numbers: the same seed gives the same stream on every
// machine, so model weights, initial noise and sampling are reproducible.
// Generator: mulberry32 (32-bit state, period 2^32) — small and fast; quality is
// ample for weights and noise, it is not for cryptography.

export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** uniform in [0, 1) with 32 bits of resolution */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** standard normal (Box-Muller; one value per call, the pair's second is dropped for simplicity) */
  gaussian(): number {
    const u = 1 - this.next(); // (0, 1]: log(u) is finite
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** fills a new array with N(0, std²) */
  gaussianArray(length: number, std = 1): Float32Array {
    const out = new Float32Array(length);
    for (let i = 0; i < length; i++) out[i] = this.gaussian() * std;
    return out;
  }
}

/** derives an independent seed for a named sub-stream (FNV-1a of the label mixed with the seed) */
export function deriveSeed(seed: number, label: string): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
