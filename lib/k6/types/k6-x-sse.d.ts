// Types of `k6/x/sse`, genload's own SSE extension (build/xk6-genload, see its README).
// @types/k6 declares no k6/x/* module; this file is the contract of build/xk6-genload/{sse,genload}/*.go.

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

// `k6/x/genload`: the second module of the same extension (build/xk6-genload/README.md):
// genload's per-request hot path in Go. JavaScript calls Go once per request.
declare module 'k6/x/genload' {
  export type GenloadClass = 'llm' | 'image';
  export type GenloadErrorClass = 'timeout' | 'connection' | 'shed' | '4xx' | '5xx' | 'protocol';

  /** Line 1 of workload.jsonl, parsed as is: the contract is lib/shared/workload/contract.ts. */
  export type GenloadWorkloadHeader = import('../../shared/workload/contract.ts').WorkloadHeaderAsRead;

  /** A workload file, parsed once per k6 process; every VU gets the same requests. */
  export interface GenloadWorkload {
    /** requests in the file (lines after the header) */
    readonly count: number;
    /** the header line, a plain object per VU */
    readonly header: GenloadWorkloadHeader;
    /** the request's `atMs` (trace arrival, ms), undefined when the line has none; throws for an index outside [0, count) */
    atMs(index: number): number | undefined;
    classOf(index: number): GenloadClass;
  }

  /** How a route's answers are read (build/xk6-genload/genload/answer.go). */
  export type GenloadAnswer =
    | 'openai' // chat/completions, non-streamed: usage
    | 'openai-stream' // SSE chunks, usage, [DONE], the reference server's timings event
    | 'tgi' // /generate
    | 'tgi-stream' // /generate_stream
    | 'kserve-v2'
    | 'openai-images' // images = data.length
    | 'openai-images-steps' // also steps = the line's steps (reference)
    | 'generic-json'; // any 2xx; image: images 1 and the line's steps

  export interface GenloadRoute {
    method: string;
    /** http(s) URL; the line's body is sent to it */
    url: string;
    headers?: Readonly<Record<string, string>>;
    /** bounds the whole request (a stream: request sent to its last byte) */
    timeoutMs: number;
    /** 'llm-stream' takes openai-stream or tgi-stream; llm and image a non-streamed kind that reads their class */
    answer: GenloadAnswer;
  }

  /** The reference server's job API: POST submitUrl → 202 {id}; GET pollUrl + id until succeeded, failed or cancelled. */
  export interface GenloadJobRoute {
    submitUrl: string;
    /** the job id is appended as the server sent it */
    pollUrl: string;
    pollIntervalMs: number;
    headers?: Readonly<Record<string, string>>;
    /** each HTTP request's timeout, and the polling's: at most timeoutMs / pollIntervalMs + 1 polls */
    timeoutMs: number;
  }

  /** Per-request SLO limits, ms (goodput): a request over any of them is not good. */
  export interface GenloadPerRequestLimits {
    e2eMs?: number;
    ttftMs?: number;
    tpotMs?: number;
    stepMs?: number;
  }

  export interface GenloadClientSpec {
    /** what genload.workload returned in this VU's init context */
    workload: GenloadWorkload;
    /** when given, must be the workload header's api */
    api?: string;
    /** one per kind of line the workload holds (llm non-streamed, llm streamed, image); empty with job */
    routes?: { llm?: GenloadRoute; 'llm-stream'?: GenloadRoute; image?: GenloadRoute };
    /** job mode: every request is a job */
    job?: GenloadJobRoute;
    perRequest?: { llm?: GenloadPerRequestLimits; image?: GenloadPerRequestLimits };
    /**
     * The name tables TREND, COUNTER, RATE and TAG of lib/shared/metrics.ts (every metric created
     * before, in the init context; TAG names stage and class too), and the Trends whose samples
     * genload_samples counts (absent: every Trend). Optional keys: trend.inputTokenErrorRatio,
     * trend.outputTokenErrorRatio, rate.outputShort (absent: not recorded).
     */
    metrics: {
      trend: Readonly<Record<string, string>>;
      counter: Readonly<Record<string, string>>;
      rate: Readonly<Record<string, string>>;
      tag: Readonly<Record<string, string>>;
      counted?: readonly string[];
    };
    /** 'token' (default): one ITL sample per gap; 'request': one per request, its mean gap */
    itlSamples?: 'token' | 'request';
    /** with itlSamples 'request': every request's gaps as one line {i, stage, gaps: [ms...]} (shared by the process's VUs, flushed at the test's end) */
    itlFile?: string;
  }

  /** Why a request failed (its samples are recorded already). */
  export interface GenloadFailure {
    class: GenloadClass;
    errorClass: GenloadErrorClass;
    /** short reason, for logs */
    error: string;
  }

  export interface GenloadClient {
    /**
     * Sends request `index` of the workload with stage tag `stage`, reads its answer and records
     * all its samples in one batch. `startLagMs`, when given, is recorded first as trend.startLagMs
     * under the stage tag only (no class). VU context only. undefined on success, and when the
     * test stopped during the request (nothing recorded then but the lag).
     */
    send(index: number, stage: string, startLagMs?: number): GenloadFailure | undefined;
  }

  export interface GenloadSample {
    metric: string;
    value: number;
    tags?: Readonly<Record<string, string>>;
  }

  /** Init context only; a relative path is resolved against the script's folder. Throws listing the file's problems (with line numbers). */
  export function workload(path: string): GenloadWorkload;
  /** Init context only; throws listing every problem of the spec. */
  export function client(spec: GenloadClientSpec): GenloadClient;
  /** metric.add(value, {...tags, ...sample.tags}) for each sample, pushed to k6 as one batch with one timestamp */
  export function record(samples: readonly GenloadSample[], tags?: Readonly<Record<string, string>>): void;

  const genload: { workload: typeof workload; client: typeof client; record: typeof record };
  export default genload;
}
