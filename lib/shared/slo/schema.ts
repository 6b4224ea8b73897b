// The SLO language: one JSON format for LLM and image endpoints, judged per
// traffic class. This zod schema is the single source of truth: the TypeScript
// type derives from it and thresholds/slo.schema.json is emitted from it.
// k6-side code imports only types from here (erased by esbuild); the compiler
// (compile.ts) does not depend on zod either.

import { z } from 'zod';

/** Percentile or aggregate bounds on one latency metric, in milliseconds. Each is an upper bound. */
export const latencyBoundsSchema = z
  .object({
    p50: z.number().positive().optional(),
    p90: z.number().positive().optional(),
    p95: z.number().positive().optional(),
    p99: z.number().positive().optional(),
    avg: z.number().positive().optional(),
    max: z.number().positive().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: 'must set at least one of p50, p90, p95, p99, avg, max' })
  .describe('upper bounds in milliseconds; every bound set must hold');

/** Limits a single request must meet to count as "good" (goodput), milliseconds. */
export const perRequestSchema = z
  .object({
    ttftMs: z.number().positive().optional(),
    tpotMs: z.number().positive().optional(),
    e2eMs: z.number().positive().optional(),
    stepMs: z.number().positive().optional(),
  })
  .strict()
  .describe('per-request limits for goodput: a successful request meeting all of them is good');

export const classSloSchema = z
  .object({
    e2eMs: latencyBoundsSchema.optional(),
    ttftMs: latencyBoundsSchema.optional(),
    itlMs: latencyBoundsSchema.optional(),
    tpotMs: latencyBoundsSchema.optional(),
    stepMs: latencyBoundsSchema.optional(),
    serverQueueMs: latencyBoundsSchema.optional(),
    /** highest fraction of failed requests, 0..1 */
    errorRate: z.number().min(0).max(1).optional(),
    /** lowest fraction of requests that succeed and meet perRequest, 0..1 */
    minGoodput: z.number().min(0).max(1).optional(),
    /** fewest measured requests for the verdict to count; 0 samples never passes */
    minRequests: z.number().int().min(1).optional(),
    perRequest: perRequestSchema.optional(),
  })
  .strict();

export const abortSchema = z
  .object({
    /** stop a ramp or breakpoint run as soon as a latency or error bound breaks */
    onFail: z.boolean(),
    /** seconds after the start of the test before a breach may abort it (a floor: a step's bounds also wait for the step's end) */
    delaySeconds: z.number().min(0).default(10),
  })
  .strict();

export const sloSchema = z
  .object({
    $schema: z.string().optional(),
    schemaVersion: z.literal(1),
    name: z.string().min(1),
    description: z.string().optional(),
    /** SLO per traffic class; a class absent here is measured but not judged */
    classes: z
      .object({ llm: classSloSchema.optional(), image: classSloSchema.optional() })
      .strict()
      .refine((c) => c.llm !== undefined || c.image !== undefined, { message: 'must define llm, image or both' }),
    abort: abortSchema.optional(),
  })
  .strict();

export type LatencyBounds = z.infer<typeof latencyBoundsSchema>;
export type PerRequestLimits = z.infer<typeof perRequestSchema>;
export type ClassSlo = z.infer<typeof classSloSchema>;
export type Slo = z.infer<typeof sloSchema>;
