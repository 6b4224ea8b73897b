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
