// The seam between targets (pure request/response logic, unit-tested in Node
// with a fake) and k6 (k6/http, k6/x/sse). transport/k6.ts implements it.

export interface RequestSpec {
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  body?: string;
  headers: Readonly<Record<string, string>>;
  /** k6 tags for the built-in http_req_* (or sse_*) metrics of this request */
  tags: Readonly<Record<string, string>>;
  timeoutMs: number;
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
