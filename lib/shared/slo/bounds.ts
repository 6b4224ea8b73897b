// Names of the bounds the SLO language understands, without zod, so k6-side code
// (compile.ts) can use them without pulling the schema library into a bundle.

import type { LatencyBounds } from './schema.ts';

/** The latency metrics an SLO may bound, in the order reports list them. */
export const BOUNDED_METRICS = ['e2eMs', 'ttftMs', 'itlMs', 'tpotMs', 'stepMs', 'serverQueueMs'] as const;
export type BoundedMetric = (typeof BOUNDED_METRICS)[number];

/** k6 aggregation for each bound key. */
export const BOUND_AGGREGATION: Readonly<Record<keyof LatencyBounds, string>> = {
  p50: 'p(50)',
  p90: 'p(90)',
  p95: 'p(95)',
  p99: 'p(99)',
  avg: 'avg',
  max: 'max',
};
