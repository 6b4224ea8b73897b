// What one capacity step measured, in the measurement window only (warm-up
// excluded). Written by the capacity scenario's handleSummary as step.json
// (extract.ts builds it from k6's summary data) and read by the CLI driver,
// which judges it (acceptance.ts) and feeds the verdict to the stepper.

export const STEP_SCHEMA_VERSION = 1;

export interface LatencySummary {
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  count: number;
}

/** An SLO threshold that failed, with how far off it was. */
export interface SloBreach {
  /** k6 sub-metric, e.g. genload_e2e_ms{class:image,stage:measure} */
  metric: string;
  /** k6 expression, e.g. p(95)<500 */
  expression: string;
  /** observed value of the aggregate the expression names, when it is a number */
  observed: number | null;
  /** observed / limit for upper bounds (1.3 = 30 % over), null when not a latency bound */
  ratio: number | null;
}

export interface StepMeasurement {
  schemaVersion: typeof STEP_SCHEMA_VERSION;
  offeredRps: number;
  /** closed model (LOAD_MODEL=closed): the step's concurrent requests; offeredRps then holds the same number */
  concurrency?: number;
  measureSeconds: number;
  /** arrivals k6 planned in the measurement window: started + dropped (about offeredRps × measureSeconds) */
  scheduled: number;
  /** arrivals k6 could not start because no VU was free (open model: the generator fell behind) */
  droppedIterations: number;
  /** throughput the target achieved: offeredRps × successful responses that arrived inside the window / scheduled */
  achievedRps: number;
  /** requests sent in the measurement window that got a response (success or failure) */
  requests: number;
  /** failed / all measured requests; 0 when nothing was measured */
  errorRate: number;
  /** keyed "<class>.<metric>", e.g. "llm.ttftMs", "image.e2eMs" */
  latency: Record<string, LatencySummary>;
  /** median end-to-end latency in the first and second half of the measurement window (queue growth shows as a rise) */
  halvesP50Ms: { first: number | null; second: number | null };
  /** p95 of how late iterations started against their planned time, ms (load-generator lag); null when not recorded */
  startLagP95Ms: number | null;
  /** k6 threshold verdict for the SLO; null when the run had no SLO */
  sloPassed: boolean | null;
  sloBreaches: SloBreach[];
  /** output units produced in the window, for the capacity plan */
  outputTokens: number;
  images: number;
}
