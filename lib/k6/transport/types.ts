// The seam between targets (pure request/response logic, unit-tested in Node
// with a fake) and k6 (k6/x/genload, k6/x/sse). runtime/k6.ts implements it.

import type { ServerTimings } from '../server-timing/parse.ts';

export interface RequestSpec {
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  body?: string;
  headers: Readonly<Record<string, string>>;
  /** k6 tags for the built-in http_req_* (or sse_*) metrics of this request */
  tags: Readonly<Record<string, string>>;
  timeoutMs: number;
  /**
   * The answer's shape, when the target reads it with a scan the transport can
   * run itself (k6/x/genload: in Go): 'openai-completion' is scanCompletion
   * of targets/openai-text.ts. The transport's result is `HttpReply.completion`.
   */
  answer?: 'openai-completion';
}

export interface HttpReply {
  /** 0 when no response arrived (timeout, connection error) */
  status: number;
  body: string;
  headers: Readonly<Record<string, string>>;
  /** request sent to last byte received (k6's http_req_duration), ms */
  durationMs: number;
  /** k6 error code (1050 timeout, 12xx TCP, ...), 0 without error */
  errorCode: number;
  error: string;
  /**
   * The Server-Timing header already parsed (as parseServerTimingHeader does)
   * by a transport that reads it outside the interpreter (k6/x/genload);
   * absent: targets parse `headers` themselves.
   */
  server?: ServerTimings;
  /**
   * With `answer: 'openai-completion'`: what scanCompletion returns for the
   * body (usage counts in Outcome's field names, a new object each time), null
   * for a body it does not accept; absent: the transport did not scan.
   */
  completion?: { outputTokens: number; usageCompletionTokens: number; promptTokens: number } | null;
}

export interface StreamEvent {
  name: string;
  data: string;
  /** ms since the request was sent */
  ms: number;
}

export interface StreamReply {
  status: number;
  headers: Readonly<Record<string, string>>;
  /** request sent to the end of the stream, ms */
  totalMs: number;
  errorCode: number;
  error: string;
}

export interface Transport {
  request(spec: RequestSpec): HttpReply;
  /** opens an SSE stream; onEvent runs for each event, in order, before stream() returns */
  stream(spec: RequestSpec, onEvent: (e: StreamEvent) => void): StreamReply;
  sleepMs(ms: number): void;
  /** wall clock, ms (Date.now() resolution) */
  nowMs(): number;
}
