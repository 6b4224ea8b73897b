// One error shape for every 4xx/5xx: OpenAI's {error:{message,type,param,code}}.
// HttpError is thrown by handlers; EngineError codes map to statuses here, in
// one table; fastify's own errors (validation, JSON, body limit) are
// translated by the error handler.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { EngineError } from '../engine/types.ts';

export interface OpenAiError {
  readonly error: {
    readonly message: string;
    readonly type: string;
    readonly param: string | null;
    readonly code: string | null;
  };
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly param: string | null = null,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function errorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

export function errorBody(err: HttpError): OpenAiError {
  return { error: { message: err.message, type: errorType(err.status), param: err.param, code: err.code } };
}

/** EngineError code -> HTTP status; 'cancelled' is 499 (client closed request, as nginx) unless the server is shutting down */
export const engineErrorStatus: Readonly<Record<EngineError['code'], number>> = {
  invalid_request: 400,
  cancelled: 499,
  deadline_exceeded: 504,
  worker_crashed: 500,
  injected_fault: 500,
  internal: 500,
};

export function fromEngineError(err: EngineError, shuttingDown: boolean): HttpError {
  if (err.code === 'cancelled' && shuttingDown) return new HttpError(503, 'server_shutting_down', err.message);
  const param = err.code === 'invalid_request' ? (/^(\w+):/.exec(err.message)?.[1] ?? null) : null;
  return new HttpError(engineErrorStatus[err.code], err.code, err.message, param);
}

/** fastify's own error codes -> stable codes of this API */
const fastifyCodes: Readonly<Record<string, string>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'empty_body',
  FST_ERR_CTP_BODY_TOO_LARGE: 'body_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_content_length',
  FST_ERR_BAD_URL: 'invalid_url',
  FST_ERR_MAX_PARAM_LENGTH: 'path_parameter_too_long',
};

/** Errors Node's HTTP parser raises before fastify sees a request (oversize headers, timeouts, garbage):
 * answered on the raw socket in the same OpenAI error shape, then the socket is closed. */
export function clientErrorHandler(err: Error & { code?: string }, socket: import('node:stream').Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const e =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? new HttpError(431, 'headers_too_large', 'request headers: must be at most 16 KiB in total')
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? new HttpError(408, 'request_timeout', 'request: must arrive within the server timeout')
        : new HttpError(400, 'bad_request', 'request: must be well-formed HTTP/1.1');
  const body = JSON.stringify(errorBody(e));
  const reason =
    { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' }[e.status] ?? 'Bad Request';
  socket.end(
    `HTTP/1.1 ${e.status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

/** any thrown value -> HttpError; unknown errors are 500 and logged by the caller */
export function toHttpError(err: unknown, shuttingDown = false): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof EngineError) return fromEngineError(err, shuttingDown);
  const fe = err as Partial<FastifyError>;
  if (fe.validation && fe.validation.length > 0) {
    const v = fe.validation[0]!;
    const missing = (v.params as { missingProperty?: string } | undefined)?.missingProperty;
    const param = [v.instancePath.replace(/^\//, '').replace(/\//g, '.'), missing].filter(Boolean).join('.') || null;
    const where = fe.validationContext ?? 'body';
    return new HttpError(
      400,
      `invalid_${v.keyword}`,
      `${where}${param ? `.${param}` : ''}: ${v.message ?? 'is invalid'}`,
      param,
    );
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const code = fe.code === undefined ? 'invalid_request' : (fastifyCodes[fe.code] ?? fe.code.toLowerCase());
    return new HttpError(
      fe.statusCode,
      code,
      (fe.message ?? 'bad request').replace(/^\w/, (c) => c.toLowerCase()),
    );
  }
  return new HttpError(500, 'internal_error', 'internal server error');
}

export function sendError(reply: FastifyReply, err: HttpError): FastifyReply {
  return reply.code(err.status).headers(err.headers).send(errorBody(err));
}

export function errorHandler(this: unknown, err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const http = toHttpError(err);
  if (http.status >= 500) request.log.error({ err }, 'request failed');
  return sendError(reply, http);
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendError(
    reply,
    new HttpError(404, 'not_found', `route ${request.method} ${request.url.split('?')[0]} does not exist`),
  );
}
