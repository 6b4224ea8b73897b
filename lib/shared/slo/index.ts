// The SLO language: schema (zod, source of truth), parser with all-problems-at-once
// errors, and the compiler to k6 thresholds. See thresholds/README.md for the format.
// Node side only: k6-side code imports compile.ts directly, so
// zod never enters a k6 bundle.
export { sloSchema, type Slo, type ClassSlo, type LatencyBounds, type PerRequestLimits } from './schema.ts';
export { BOUNDED_METRICS, type BoundedMetric } from './bounds.ts';
export { parseSlo, SloError } from './parse.ts';
export {
  compileSlo,
  reportThresholds,
  mergeThresholds,
  REPORT_ONLY,
  type CompiledSlo,
  type SloCondition,
  type K6Threshold,
} from './compile.ts';
