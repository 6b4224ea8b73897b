// The two request shapes every target is built from: one JSON POST answered
// with one body, and one POST answered with an SSE stream. Both turn the
// transport's reply into an Outcome (status, error class, latency, server timings).

import type { TrafficClass } from '../../shared/metrics.ts';
import { headerValue, parseServerTimingHeader, parseTimingsJson, type ServerTimings } from '../server-timing/parse.ts';
import { StreamAccumulator } from '../stream/accumulate.ts';
import { isObject, tryJson, type ChunkMeaning } from '../stream/chunk.ts';
import type { HttpReply, RequestSpec } from '../transport/types.ts';
import { classifyFailure } from './errors.ts';
import type { Outcome, TargetContext } from './types.ts';

/** The reply's Server-Timing: as the transport parsed it, else parsed here from the headers. */
function headerTimings(reply: HttpReply): ServerTimings {
  return reply.server ?? parseServerTimingHeader(headerValue(reply.headers, 'server-timing'));
}

function timingsOf(reply: HttpReply, body: unknown): ServerTimings {
  const fromHeader = headerTimings(reply);
  // most answers carry no `timings` object: skip the merge (object spreads are slow in k6's interpreter)
  if (!isObject(body) || body['timings'] === undefined) return fromHeader;
  return { ...fromHeader, ...parseTimingsJson(body['timings']) };
}

function failed(cls: TrafficClass, reply: { status: number; errorCode: number; error: string }, e2eMs: number, server: ServerTimings, body = ''): Outcome | undefined {
  const errorClass = classifyFailure(reply.status, reply.errorCode);
  if (errorClass === undefined) return undefined;
  const detail = reply.error !== '' ? reply.error : body.slice(0, 160);
  return { class: cls, ok: false, status: reply.status, errorClass, error: `status ${reply.status}: ${detail}`, e2eMs, server };
}

export interface JsonResult {
  reply: HttpReply;
  json: unknown;
}

/**
 * Sends one request and parses the JSON answer; `read` fills the class-specific
 * fields of a success. `scan`, when given, reads the same fields from the raw
 * body without JSON.parse (slow in k6) into a new object, which becomes the
 * Outcome, or returns undefined to fall back to `read`. `answer` names the
 * shape `scan` reads when the transport can run that scan itself (see
 * RequestSpec.answer); its result then replaces the call to `scan`.
 */
export function exchangeJson(
  ctx: TargetContext,
  cls: TrafficClass,
  method: 'GET' | 'POST',
  path: string,
  body: unknown,
  read: (json: unknown, reply: HttpReply) => Partial<Outcome> | string,
  scan?: (body: string) => Partial<Outcome> | undefined,
  answer?: RequestSpec['answer'],
): Outcome {
  // no object spreads on this path: each costs microseconds in k6's interpreter
  const spec: RequestSpec = { method, url: `${ctx.baseUrl}${path}`, headers: ctx.headers, tags: ctx.tags, timeoutMs: ctx.timeoutMs };
  if (body !== undefined) spec.body = typeof body === 'string' ? body : JSON.stringify(body);
  if (answer !== undefined) spec.answer = answer;
  const reply = ctx.transport.request(spec);
  // scan only complete answers: a success without any transport error (k6 then holds the whole body)
  const complete = scan !== undefined && reply.errorCode === 0 && reply.error === '' && classifyFailure(reply.status, 0) === undefined;
  const scanned = !complete ? undefined : reply.completion !== undefined ? (reply.completion ?? undefined) : scan(reply.body);
  if (scanned !== undefined) {
    // the scan's fresh object becomes the outcome; it only accepts bodies
    // without a `timings` object, so the header is the only server source
    const out = scanned as Outcome;
    out.class = cls;
    out.ok = true;
    out.status = reply.status;
    out.e2eMs = reply.durationMs;
    out.server = headerTimings(reply);
    return out;
  }
  const json = tryJson(reply.body);
  const server = timingsOf(reply, json);
  const failure = failed(cls, reply, reply.durationMs, server, reply.body);
  if (failure !== undefined) return failure;
  const fields = read(json, reply);
  if (typeof fields === 'string') return { class: cls, ok: false, status: reply.status, errorClass: 'protocol', error: fields, e2eMs: reply.durationMs, server };
  return { class: cls, ok: true, status: reply.status, e2eMs: reply.durationMs, server, ...fields };
}

/** Sends one request answered by an SSE stream, folding events with `interpret`. */
export function exchangeStream(ctx: TargetContext, path: string, body: unknown, interpret: (data: string) => ChunkMeaning): Outcome {
  const acc = new StreamAccumulator();
  const reply = ctx.transport.stream(
    { method: 'POST', url: `${ctx.baseUrl}${path}`, body: JSON.stringify(body), headers: { ...ctx.headers, accept: 'text/event-stream' }, tags: ctx.tags, timeoutMs: ctx.timeoutMs },
    (e) => acc.add(interpret(e.data), e.ms),
  );
  const s = acc.stats();
  const server = { ...parseServerTimingHeader(headerValue(reply.headers, 'server-timing')), ...s.timings };
  // End-to-end: the stream's own end (k6 side), never earlier than the last event.
  const e2eMs = Math.max(reply.totalMs, s.lastEventMs ?? 0);
  const failure = failed('llm', reply, e2eMs, server);
  if (failure !== undefined) return failure;
  const common = { class: 'llm' as const, status: reply.status, e2eMs, server, outputTokens: s.outputTokens, itlMs: s.itlMs };
  const measured = {
    ...common,
    ...(s.ttftMs === undefined ? {} : { ttftMs: s.ttftMs }),
    ...(s.promptTokens === undefined ? {} : { promptTokens: s.promptTokens }),
    ...(s.usageCompletionTokens === undefined ? {} : { usageCompletionTokens: s.usageCompletionTokens }),
  };
  if (s.error !== undefined) return { ...measured, ok: false, errorClass: 'protocol', error: s.error };
  if (!s.done) return { ...measured, ok: false, errorClass: 'protocol', error: `stream ended without its final event after ${s.tokenPieces} tokens` };
  return { ...measured, ok: true };
}

/** Bearer (API key) or Basic (credentials from the target URL) auth and JSON content type; secrets are only ever placed here. */
export function requestHeaders(apiKey: string | undefined, basicAuth?: string): Record<string, string> {
  const h: Record<string, string> = { 'content-type': 'application/json' };
  if (apiKey !== undefined) h['authorization'] = `Bearer ${apiKey}`;
  else if (basicAuth !== undefined) h['authorization'] = `Basic ${basicAuth}`;
  return h;
}
