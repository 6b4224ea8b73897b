// Types of `k6/x/sse`, genload's own SSE extension (build/xk6-sse, see its README).
// @types/k6 declares no k6/x/* module; this file is the contract of build/xk6-sse/*.go.

declare module 'k6/x/sse' {
  /** Second argument of open; unknown keys make open throw. */
  export interface SseParams {
    /** HTTP method, default "GET" */
    method?: string;
    body?: string | ArrayBuffer | null;
    /** request headers; Accept defaults to "text/event-stream" */
    headers?: Record<string, string>;
    /** added to the VU's tags on the extension's metrics */
    tags?: Record<string, string>;
    /** bounds the whole stream, request sent to last byte: "30s" or milliseconds; default 60 s */
    timeout?: string | number;
  }

  /** One dispatched server-sent event. */
  export interface SseEvent {
    /** last event id seen on the stream ("" if none); persists across events as in EventSource */
    id: string;
    /** the `event:` field, "message" when absent */
    name: string;
    /** the `data:` lines joined with "\n" */
    data: string;
    /** milliseconds since the request was sent (monotonic clock), taken when the bytes completing the event were read */
    ms: number;
  }

  /** Argument of the 'open' handler: the 2xx response head. */
  export interface SseResponseHead {
    status: number;
    /** canonical header names, repeated values joined with ", " */
    headers: Record<string, string>;
    /** final URL, after redirects */
    url: string;
    /** milliseconds from request sent to response head */
    ms: number;
  }

  /** Argument of the 'error' handler. */
  export interface SseError {
    message: string;
    /** k6 error code: 1050 timeout, 1212 connection refused, 1000 + status for 4xx/5xx, ... */
    code: number;
    /** HTTP status, 0 when no response arrived */
    status: number;
    /** milliseconds since the request was sent */
    ms: number;
    /** the message; kept for scripts written for phymbert/xk6-sse */
    error(): string;
  }

  export interface SseClient {
    on(event: 'open', handler: (head: SseResponseHead) => void): void;
    on(event: 'event', handler: (event: SseEvent) => void): void;
    on(event: 'error', handler: (error: SseError) => void): void;
    /** stop reading after the current handler returns; open then returns normally */
    close(): void;
  }

  /** What open returns once the stream is over. */
  export interface SseResponse {
    /** HTTP status, 0 when no response arrived */
    status: number;
    headers: Record<string, string>;
    /** final URL after redirects, or the requested URL when no response arrived */
    url: string;
    /** "" on success (also after client.close()) */
    error: string;
    /** 0 on success, else the code also given to the 'error' handler */
    error_code: number;
    /** events dispatched to the 'event' handlers */
    events: number;
    /** the last valid `retry:` field in milliseconds, null if none (the extension never reconnects) */
    retryMs: number | null;
    timings: {
      /** request sent to response head; 0 without a response */
      headersMs: number;
      /** request sent to end of stream, close(), timeout or error */
      totalMs: number;
    };
  }

  export type SseSetup = (client: SseClient) => void;

  /** Opens one stream and blocks the VU until it ends; handlers run on the VU. */
  export function open(url: string, params: SseParams | null | undefined, setup: SseSetup): SseResponse;
  export function open(url: string, setup: SseSetup): SseResponse;

  const sse: { open: typeof open };
  export default sse;
}

// `k6/x/genload`: the second module of the same extension (build/xk6-sse/genload.go,
// request.go, record.go): genload's per-request hot path done in Go.
declare module 'k6/x/genload' {
  /** What genload.request sends: k6/http's http.request(method, url, body, {headers, tags, timeout}). */
  export interface GenloadRequest {
    method: string;
    url: string;
    /** sent as is; null or absent: no body */
    body?: string | null;
    headers?: Readonly<Record<string, string>>;
    /** added to the VU's tags on the built-in http_req_* metrics of this request */
    tags?: Readonly<Record<string, string>>;
    /** default 60 000 */
    timeoutMs?: number;
    /** 'openai-completion': also scan the body's usage counts (reply.completion) */
    answer?: 'openai-completion';
  }

  /** Durations from the Server-Timing header, ms; only the names found (queue, total, encode, prefill, denoise, step, decode, png, ttft). */
  export interface GenloadServerTimings {
    queueMs?: number;
    totalMs?: number;
    encodeMs?: number;
    prefillMs?: number;
    denoiseMs?: number;
    stepMs?: number;
    decodeMs?: number;
    pngMs?: number;
    ttftMs?: number;
  }

  export interface GenloadReply {
    /** HTTP status, 0 when no response arrived */
    status: number;
    /** the whole body as text; "" without one */
    body: string;
    /** k6's http_req_duration of this request, ms */
    durationMs: number;
    /** k6 error code (1050 timeout, 1212 refused, 1000 + status for 4xx/5xx ...), 0 without error */
    errorCode: number;
    error: string;
    /** canonical names, repeated values joined with ", " */
    headers: Readonly<Record<string, string>>;
    /** the Server-Timing header parsed as lib/k6/server-timing/parse.ts does */
    server: GenloadServerTimings;
    /** with answer 'openai-completion': scanCompletion (lib/k6/targets/openai-text.ts) of the body, done in Go; null when it does not accept the body */
    completion?: { outputTokens: number; usageCompletionTokens: number; promptTokens: number } | null;
  }

  export interface GenloadSample {
    metric: string;
    value: number;
    tags?: Readonly<Record<string, string>>;
  }

  /** The Outcome fields (lib/k6/targets/types.ts) an outcome recorder reads. */
  export interface GenloadOutcome {
    ok: boolean;
    errorClass?: string;
    e2eMs: number;
    ttftMs?: number;
    itlMs?: readonly number[];
    outputTokens?: number;
    promptTokens?: number;
    images?: number;
    steps?: number;
    server: { queueMs?: number; totalMs?: number; denoiseMs?: number; stepMs?: number };
  }

  /** Per-request SLO limits, ms (goodput): a request over any of them is not good. */
  export interface GenloadPerRequestLimits {
    e2eMs?: number;
    ttftMs?: number;
    tpotMs?: number;
    stepMs?: number;
  }

  export interface GenloadOutcomeRecorder {
    /** samplesOf(outcome, perRequest, counted) + record(samples, tags), in Go: one push per call */
    record(outcome: GenloadOutcome, perRequest: GenloadPerRequestLimits | undefined, tags: Readonly<Record<string, string>>): void;
  }

  /** One JSON request through k6's own HTTP machinery; throws only where k6/http throws. */
  export function request(spec: GenloadRequest): GenloadReply;
  /** metric.add(value, {...tags, ...sample.tags}) for each sample, pushed to k6 as one batch with one timestamp */
  export function record(samples: readonly GenloadSample[], tags?: Readonly<Record<string, string>>): void;

  /**
   * An outcome recorder (init context only): the name tables TREND, COUNTER,
   * RATE and TAG of lib/shared/metrics.ts (metrics created before), and the
   * Trends whose samples genload_samples counts (absent: every Trend).
   */
  export function outcomeRecorder(spec: {
    trend: Readonly<Record<string, string>>;
    counter: Readonly<Record<string, string>>;
    rate: Readonly<Record<string, string>>;
    tag: Readonly<Record<string, string>>;
    counted?: readonly string[];
  }): GenloadOutcomeRecorder;

  /** A work item as lib/shared/workload/sample.ts's WorkItem. */
  export type GenloadWork =
    | { class: 'llm'; prompt: string; promptWords: number; maxTokens: number; stream: boolean; seed: number }
    | { class: 'image'; prompt: string; sizePx: number; steps: number; seed: number };

  /** One class's request: fixed method, URL, headers, timeout and answer shape; the body from a template. */
  export interface GenloadRecipe {
    method: string;
    url: string;
    headers: Readonly<Record<string, string>>;
    timeoutMs: number;
    answer: 'openai-completion';
    /** body = literals[0] + hole[0] + literals[1] + ... + literals[n]; holes: prompt (JSON-escaped, no quotes), maxTokens, seed, sizePx, steps */
    literals: readonly string[];
    holes: readonly string[];
  }

  export interface GenloadRunnerSpec {
    /** the run seed (config.load.seed) */
    seed: number;
    /** promptPool() of lib/shared/workload/prompts.ts */
    pool: { text: string; starts: readonly number[] };
    /** the Workload knobs sampleWork reads; sizes and steps: the parsed mixes */
    workload: { promptSet: string; maxTokens: number; maxTokensDist: string; maxPromptChars: number; stream: boolean; sizes: readonly number[]; steps: readonly number[] };
    /** classes sent in Go; a class without a recipe goes back to the script */
    recipes: { llm?: GenloadRecipe; image?: GenloadRecipe };
    perRequest: { llm?: GenloadPerRequestLimits; image?: GenloadPerRequestLimits };
    /** as outcomeRecorder's argument; tag also names stage and class */
    metrics: Parameters<typeof outcomeRecorder>[0];
  }

  /** What the runner could not finish: the work item, and the reply when it sent the request. */
  export interface GenloadHandOver {
    work: GenloadWork;
    reply?: GenloadReply;
  }

  export interface GenloadRunner {
    /** samples, sends and records one request; undefined when done in Go (a success), else what the script must finish */
    next(phaseIndex: number, requestKey: number, llmShare: number, stage: string): GenloadHandOver | undefined;
    /** the work item next would sample */
    work(phaseIndex: number, requestKey: number, llmShare: number): GenloadWork;
    /** the body the class's template gives for a work item; undefined without a recipe for its class */
    body(work: GenloadWork): string | undefined;
  }

  /** A runner (init context only): genload's request path in Go (build/xk6-sse/runner.go). */
  export function runner(spec: GenloadRunnerSpec): GenloadRunner;

  const genload: { request: typeof request; record: typeof record; outcomeRecorder: typeof outcomeRecorder; runner: typeof runner };
  export default genload;
}
