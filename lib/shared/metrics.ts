// Metric and tag names genload records inside k6 and reads back on the Node side
// (reports, capacity search). One table, so both sides spell them the same way.
// Names carry their unit: _ms (milliseconds), _tokens, _images, _per_s, _ratio.

/** k6 Trend metrics (time ones are declared with isTime=true so k6 prints them as durations). */
export const TREND = {
  /** client end-to-end latency of one request: request sent to last byte (or final SSE event) */
  e2eMs: 'genload_e2e_ms',
  /** time to first token: request sent to the first SSE event carrying generated text */
  ttftMs: 'genload_ttft_ms',
  /** inter-token latency: gap between consecutive token-carrying SSE events (one sample per gap) */
  itlMs: 'genload_itl_ms',
  /** time per output token after the first: (e2e - ttft) / (output tokens - 1), one sample per request */
  tpotMs: 'genload_tpot_ms',
  /** output tokens per second of one request: output tokens / e2e seconds */
  outputTokensPerS: 'genload_output_tokens_per_s',
  /** per denoising step: Server-Timing `step` when sent, else e2e / steps */
  stepMs: 'genload_step_ms',
  /** Server-Timing `queue`: time the request waited before the model started on it */
  serverQueueMs: 'genload_server_queue_ms',
  /** Server-Timing total minus queue: time the model worked on the request */
  serverInferenceMs: 'genload_server_inference_ms',
  /** Server-Timing `denoise` (image requests) */
  serverDenoiseMs: 'genload_server_denoise_ms',
  /** Server-Timing `total` */
  serverTotalMs: 'genload_server_total_ms',
  /** client e2e minus Server-Timing total: network + client + HTTP framing overhead */
  clientOverheadMs: 'genload_client_overhead_ms',
  /** llm: the server's prefill time of the request (Server-Timing `prefill`, llama.cpp timings.prompt_ms) */
  serverPrefillMs: 'genload_server_prefill_ms',
  /** llm: the server's decode time of the request (Server-Timing `decode`, llama.cpp timings.predicted_ms) */
  serverDecodeMs: 'genload_server_decode_ms',
  /** llm: e2e − server prefill − server decode: queue + network + client, when the server reported both */
  queueNetworkMs: 'genload_queue_network_ms',
  /** load-generator lag: how late an iteration started its request versus its planned arrival time */
  startLagMs: 'genload_start_lag_ms',
  /** load-generator health: how much later than asked k6's probe VU woke from a 50 ms sleep (k6 short of CPU, or its scheduler stalled) */
  generatorLagMs: 'genload_generator_lag_ms',
  /** (server usage.prompt_tokens − requested input tokens) / requested, per LLM success whose answer carried usage */
  inputTokenErrorRatio: 'genload_input_token_error_ratio',
  /** (output tokens − requested output tokens) / requested, per LLM success */
  outputTokenErrorRatio: 'genload_output_token_error_ratio',
} as const;

/** Trends that are not durations (k6 prints them as plain numbers). */
export const UNTIMED_TRENDS: ReadonlySet<string> = new Set([
  TREND.outputTokensPerS,
  TREND.inputTokenErrorRatio,
  TREND.outputTokenErrorRatio,
]);

/** k6 Counter metrics. */
export const COUNTER = {
  /** every completed request (success or failure) */
  requests: 'genload_requests',
  outputTokens: 'genload_output_tokens',
  promptTokens: 'genload_prompt_tokens',
  images: 'genload_images',
  /** requests that succeeded and met every per-request SLO limit (goodput numerator) */
  goodRequests: 'genload_good_requests',
  /** failed requests, tagged error_class */
  errors: 'genload_errors',
  /** how many samples a Trend got, tagged metric_name: pairs latency thresholds so "no samples" fails */
  samples: 'genload_samples',
  /** prompt tokens the server served from its prompt cache (llama.cpp timings.cache_n, usage.prompt_tokens_details.cached_tokens) */
  promptCachedTokens: 'genload_prompt_cached_tokens',
  /** prompt tokens of the requests whose server reported its cache (the share's denominator) */
  promptCacheReportedTokens: 'genload_prompt_cache_reported_tokens',
} as const;

/** k6 Rate metrics. */
export const RATE = {
  /** 1 when a request failed (any error class), 0 when it succeeded */
  errorRate: 'genload_error_rate',
  /** 1 when a request succeeded and met every per-request SLO limit */
  goodputRatio: 'genload_goodput_ratio',
  /** 1 when an LLM success returned fewer output tokens than it asked for (max_tokens), else 0 */
  outputShort: 'genload_output_short',
} as const;

/** Tags genload sets on every sample it records. */
export const TAG = {
  /** warmup, measure, or a step name of a multi-step scenario (step-01, spike, soak-03...) */
  stage: 'stage',
  /** traffic class: llm or image */
  class: 'class',
  /** on genload_errors: one of ERROR_CLASSES */
  errorClass: 'error_class',
  /** on genload_samples: the Trend the count belongs to */
  metricName: 'metric_name',
} as const;

export const TRAFFIC_CLASSES = ['llm', 'image'] as const;
export type TrafficClass = (typeof TRAFFIC_CLASSES)[number];

/** How a failed request failed. shed = 429/503 (the server refused work on purpose). */
export const ERROR_CLASSES = ['timeout', 'connection', 'shed', '4xx', '5xx', 'protocol'] as const;
export type ErrorClass = (typeof ERROR_CLASSES)[number];

/** Stage names with a fixed meaning. Warm-up samples are recorded but never judged. */
export const STAGE = { warmup: 'warmup', measure: 'measure' } as const;

/** k6 built-in metrics genload reads in the summary. */
export const K6_BUILTIN = {
  droppedIterations: 'dropped_iterations',
  iterations: 'iterations',
  httpReqDuration: 'http_req_duration',
} as const;

export type TrendKey = keyof typeof TREND;
export type TrendName = (typeof TREND)[TrendKey];

/** k6's name for a tagged sub-metric, e.g. genload_e2e_ms{class:llm,stage:measure} (tags sorted by key). */
export function subMetricName(metric: string, tags: Readonly<Record<string, string>>): string {
  const keys = Object.keys(tags).sort();
  if (keys.length === 0) return metric;
  return `${metric}{${keys.map((k) => `${k}:${tags[k]}`).join(',')}}`;
}
