// Server-Timing header and the `timings` JSON object carry the same numbers
// (milliseconds). The names are a protocol with the load generator's target
// modules: change them together with lib/k6 (documented in lib/server/README.md).
import type { ImageTimings, TextTimings } from '../engine/types.ts';

/** Server-Timing metric names, in header order */
export const imageTimingNames = ['queue', 'encode', 'denoise', 'step', 'decode', 'png', 'total'] as const;
export const textTimingNames = ['queue', 'prefill', 'decode', 'ttft', 'total'] as const;

export type TimingsJson = Record<string, number>;

const round = (ms: number): number => Math.round(ms * 1000) / 1000;

/** totalMs is the server's end-to-end time (arrival to response), not the engine's */
export function imageTimings(t: ImageTimings, totalMs: number): TimingsJson {
  return {
    queue_ms: round(t.queueMs),
    encode_ms: round(t.encodeMs),
    denoise_ms: round(t.denoiseMs),
    step_ms: round(t.stepMeanMs),
    decode_ms: round(t.decodeMs),
    png_ms: round(t.pngMs),
    total_ms: round(totalMs),
    batch_size_mean: round(t.meanBatchSize),
  };
}

export function textTimings(t: TextTimings, totalMs: number): TimingsJson {
  return {
    queue_ms: round(t.queueMs),
    prefill_ms: round(t.prefillMs),
    decode_ms: round(t.decodeMs),
    ttft_ms: round(t.ttftMs),
    total_ms: round(totalMs),
    batch_size_mean: round(t.meanBatchSize),
  };
}

/** `queue;dur=1.2, encode;dur=…` from a timings object, in the given name order */
export function serverTimingHeader(timings: TimingsJson, names: readonly string[]): string {
  return names
    .filter((n) => timings[`${n}_ms`] !== undefined)
    .map((n) => `${n};dur=${timings[`${n}_ms`]}`)
    .join(', ');
}
