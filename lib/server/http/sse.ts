// Server-sent events on a hijacked fastify reply. Headers are written lazily,
// with the first event: a client's time to first byte is then its time to
// first token. Before the first event an error can still be a normal JSON
// response with its real status (429, 400, 504, ...); after it, an error is
// sent as one `data: {"error":...}` event and the stream ends without [DONE].
import type { ServerResponse } from 'node:http';
import { errorBody, type HttpError } from './errors.ts';

/** a client whose socket buffer grows past this is cancelled instead of buffering without bound */
export const maxBufferedBytes = 1024 * 1024;

export class SseStream {
  private started = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly onTooSlow: () => void,
  ) {}

  get isStarted(): boolean {
    return this.started;
  }

  /** writes the status line and headers; the trailer carries the final Server-Timing */
  start(headers: Readonly<Record<string, string>>): void {
    if (this.started) return;
    this.started = true;
    this.res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
      trailer: 'Server-Timing',
      ...headers,
    });
  }

  send(data: unknown): void {
    if (this.res.destroyed) return;
    this.res.write(`data: ${JSON.stringify(data)}\n\n`);
    if (this.res.writableLength > maxBufferedBytes) this.onTooSlow();
  }

  /** `data: [DONE]`, with the Server-Timing trailer */
  done(serverTiming: string): void {
    if (this.res.destroyed) return;
    this.res.write('data: [DONE]\n\n');
    this.res.addTrailers({ 'server-timing': serverTiming });
    this.res.end();
  }

  fail(err: HttpError): void {
    if (this.res.destroyed) return;
    if (!this.started) {
      this.res.writeHead(err.status, { 'content-type': 'application/json; charset=utf-8', ...err.headers });
      this.res.end(JSON.stringify(errorBody(err)));
      return;
    }
    this.res.end(`data: ${JSON.stringify(errorBody(err))}\n\n`);
  }
}
