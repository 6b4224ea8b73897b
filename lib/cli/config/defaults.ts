// Default values in one object, and per-scenario overrides so every scenario has
// sensible short defaults (a smoke test should not last as long as a soak).

import type { KnobValues } from './knobs.ts';

export const DEFAULTS = Object.freeze({
  api: 'reference',
  rateRps: 2,
  maxRateRps: 20,
  durationSeconds: 30,
  warmupSeconds: 5,
  vus: 2,
  maxVus: 64,
  arrival: 'constant',
  seed: 1,
  engine: 'onnx',
  resultsDir: 'results',
  allowRemote: false,
  instances: 1,
} as const satisfies KnobValues);

/** Knobs that always hold a value once resolved: they have a default. */
export type DefaultedKnob = keyof typeof DEFAULTS;

export const SCENARIO_DEFAULTS: Readonly<Record<string, KnobValues>> = Object.freeze({
  smoke: { durationSeconds: 5, warmupSeconds: 0, vus: 1 },
  ramp: { durationSeconds: 60, rateRps: 1, maxRateRps: 20 },
  // a soak keeps k6's memory bounded: one ITL sample per request, the exact gaps in itl.jsonl
  soak: { durationSeconds: 600, itlSamples: 'request' },
  trace: { warmupSeconds: 0 },
});
