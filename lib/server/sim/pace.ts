// Waiting until an absolute time. The sim schedules every step and token at
// start + k × cost and sleeps until that target, so a late timer does not push
// the following ones back: lateness never accumulates over a request.
import { performance } from 'node:perf_hooks';

export const nowMs = (): number => performance.now();

/** resolves at targetMs (performance.now() clock) or rejects with signal.reason */
export function sleepUntil(targetMs: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  const delayMs = targetMs - nowMs();
  if (delayMs <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    // setTimeout fires up to ~1 ms late; flooring keeps the mean error near zero
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, Math.floor(delayMs)));
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** a promise that only settles on abort (a stalled computation) */
export function waitForAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/** mulberry32: small, fast, seeded PRNG returning floats in [0, 1) */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
