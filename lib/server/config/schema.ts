// The reference server's configuration: one zod schema (the type is derived
// from it) and the defaults in one object. Unknown keys are rejected at every
// level. Units are in the names (Ms, Bytes, Seconds).
import { z } from 'zod';
import { parseWebhookPrefix } from '../jobs/webhook.ts';

const int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.number().int().min(min).max(max);
const probability = z.number().min(0).max(1);

export const simSchema = z.strictObject({
  /** requests computed at once; every request holds one slot for its whole cost */
  slots: int(1, 1024),
  /** cost of one denoiser step of one image */
  stepMs: z.number().min(0).max(60_000),
  /** fixed cost per image before the steps (text encoder) and after them (VAE decoder) */
  encodeMs: z.number().min(0).max(60_000),
  decodeMs: z.number().min(0).max(60_000),
  /** cost of one generated token */
  tokenMs: z.number().min(0).max(60_000),
  /** prefill cost: prefillFixedMs + prefillMsPerToken × prompt tokens */
  prefillMsPerToken: z.number().min(0).max(1_000),
  prefillFixedMs: z.number().min(0).max(60_000),
  imageSizes: z.array(int(8, 2048)).min(1),
  defaultSteps: int(1, 1000),
  maxSteps: int(1, 1000),
  contextTokens: int(16, 1_000_000),
});

export const faultSchema = z.strictObject({
  /** share of requests that fail with EngineError 'injected_fault' (HTTP 500) */
  errorRate: probability,
  /** share of requests that take spikeMs longer (the slot is held meanwhile) */
  spikeProbability: probability,
  spikeMs: z.number().min(0).max(600_000),
  /** a burst of spikes at a known place: requests number spikeFromRequest .. spikeFromRequest + spikeRequests - 1 (1-based, in start order) take spikeMs longer (0 = off) */
  spikeFromRequest: int(0),
  spikeRequests: int(0, 1_000_000),
  /** share of requests that stop making progress until their deadline or the client leaves */
  stallProbability: probability,
  /** the engine's worker crashes once when this many requests have started (0 = never) */
  crashAfterRequests: int(0),
  /** seed of the fault dice, so a faulty run is reproducible */
  seed: int(0, 2 ** 32 - 1),
});

export const configSchema = z.strictObject({
  host: z.string().min(1),
  /** 0 asks the OS for a free port; the actual one is printed in the listening line */
  port: int(0, 65_535),
  engine: z.enum(['sim', 'onnx']),
  provider: z.enum(['cpu', 'cuda', 'webgpu']),
  /** worker threads of the onnx engine */
  workers: int(1, 64),
  queue: z
    .strictObject({
      /** requests per model admitted but not yet running in the engine; more are shed */
      maxWaitingPerModel: int(0, 100_000),
      /** status of a shed request: 429 with Retry-After, or 503 */
      shedStatus: z.literal([429, 503]),
      /**
       * Retry-After of a shed request until the model's completion pace is measured;
       * after that it is estimated: (waiting + 1) × pace, rounded up (http/retry-after.ts)
       */
      retryAfterSeconds: int(1, 3600),
      /** upper bound of the Retry-After estimate (and of retryAfterSeconds) */
      retryAfterMaxSeconds: int(1, 3600),
    })
    .refine((q) => q.retryAfterSeconds <= q.retryAfterMaxSeconds, {
      path: ['retryAfterSeconds'],
      // load.ts lowercases messages: name the flag, not the camelCase key
      error: (issue) =>
        `must be <= --queue.retry-after-max-seconds (${(issue.input as { retryAfterMaxSeconds: number }).retryAfterMaxSeconds})`,
      // only compare two valid numbers (no second problem for one bad value)
      when: (payload) => payload.issues.length === 0,
    }),
  /** end-to-end budget of one inference request, from arrival to its last byte */
  requestDeadlineMs: int(1, 3_600_000),
  bodyLimitBytes: int(1024, 64 * 1024 * 1024),
  /** Bearer key for every route but /health, /ready and /metrics; '' = no authentication */
  apiKey: z.string(),
  /**
   * a host that is not loopback is refused unless apiKey is set or this is true:
   * an open inference server on the network is an explicit choice (load.ts)
   */
  allowUnauthenticatedRemote: z.boolean(),
  /**
   * URL prefixes a job webhook may call: scheme, host and port written out, optionally a path
   * (http://127.0.0.1:9000/hooks); empty (the default) = webhooks are refused
   */
  webhookAllowlist: z.array(
    z.string().superRefine((text, ctx) => {
      const parsed = parseWebhookPrefix(text);
      if ('rule' in parsed) ctx.addIssue({ code: 'custom', message: parsed.rule });
    }),
  ),
  limits: z.strictObject({
    maxPromptChars: int(1, 10_000_000),
    maxImagesPerRequest: int(1, 64),
    maxTokens: int(1, 1_000_000),
  }),
  jobs: z.strictObject({
    /** jobs kept at once (any state); a submission beyond it is shed */
    maxJobs: int(1, 1_000_000),
    /** how long a finished job stays readable */
    ttlMs: int(1_000, 7 * 24 * 3_600_000),
    /** jobs handed to the engine at once; the rest wait in state 'queued' */
    concurrency: int(1, 1024),
    /** deadline of one job's generation */
    deadlineMs: int(1, 24 * 3_600_000),
  }),
  /** SIGTERM: in-flight requests get this long to finish before they are cancelled */
  shutdownDeadlineMs: int(0, 600_000),
  sim: simSchema,
  faults: faultSchema,
  /** the onnx engine's models: size preset, precisions loaded, threads per worker */
  onnx: z.strictObject({
    preset: z.enum(['test', 'small', 'realistic']),
    /**
     * precisions loaded; [] (the default) = by provider: fp32 and int8, plus fp16
     * with cuda or webgpu (dropped again if that provider falls back to cpu).
     * fp16 named explicitly also runs on cpu, slower than fp32 (README "Precisions")
     */
    precisions: z.array(z.enum(['fp32', 'int8', 'fp16'])),
    threadsPerWorker: int(1, 64),
    /**
     * nice value of the inference worker threads (Linux: per thread). Above 0 the
     * HTTP event loop preempts inference when the cores are saturated, and a load
     * generator on the same machine keeps its share of the CPU. Measured effect on
     * the event-loop lag p99 at saturation: from none to about half (bench/server-http,
     * lib/server/README.md "Benchmarks"); throughput unchanged
     */
    workerNice: int(0, 19),
  }),
  /** passed to the onnx engine's scheduler (Triton-style dynamic batching) */
  batching: z.strictObject({
    maxBatchSize: int(1, 1024),
    maxQueueDelayMs: z.number().min(0).max(10_000),
  }),
});

export type ServerConfig = z.infer<typeof configSchema>;
export type SimConfig = z.infer<typeof simSchema>;
export type FaultConfig = z.infer<typeof faultSchema>;

export const defaults: ServerConfig = {
  host: '127.0.0.1',
  port: 8000,
  engine: 'onnx',
  provider: 'cpu',
  workers: 2,
  queue: { maxWaitingPerModel: 64, shedStatus: 429, retryAfterSeconds: 1, retryAfterMaxSeconds: 60 },
  requestDeadlineMs: 120_000,
  bodyLimitBytes: 1024 * 1024,
  apiKey: '',
  allowUnauthenticatedRemote: false,
  webhookAllowlist: [],
  limits: { maxPromptChars: 16_384, maxImagesPerRequest: 4, maxTokens: 4096 },
  jobs: { maxJobs: 1000, ttlMs: 600_000, concurrency: 4, deadlineMs: 600_000 },
  shutdownDeadlineMs: 10_000,
  sim: {
    slots: 4,
    stepMs: 20,
    encodeMs: 0,
    decodeMs: 0,
    tokenMs: 10,
    prefillMsPerToken: 0,
    prefillFixedMs: 20,
    imageSizes: [64, 128, 256, 512],
    defaultSteps: 20,
    maxSteps: 150,
    contextTokens: 8192,
  },
  faults: {
    errorRate: 0,
    spikeProbability: 0,
    spikeMs: 1000,
    spikeFromRequest: 0,
    spikeRequests: 0,
    stallProbability: 0,
    crashAfterRequests: 0,
    seed: 1,
  },
  onnx: { preset: 'small', precisions: [], threadsPerWorker: 1, workerNice: 10 },
  batching: { maxBatchSize: 8, maxQueueDelayMs: 2 },
};
