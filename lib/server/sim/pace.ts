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
    const timer = setTimeout(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, Math.floor(delayMs)),
    );
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

/** seeded PRNG returning floats in [0, 1): the one shared with workload sampling */
export { seededUniform as seededRandom } from '../../shared/stats/random.ts';
