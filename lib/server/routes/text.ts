// POST /v1/completions and POST /v1/chat/completions, streamed (SSE) or not.
// Stream layout: [chat: role chunk], one chunk per token, a finish chunk,
// [usage chunk if stream_options.include_usage], the genload.timings chunk,
// `data: [DONE]`. Headers go out with the first token (see http/sse.ts).
import { performance } from 'node:perf_hooks';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { EngineError, type TextRequest, type TextResult, type TokenEvent } from '../engine/types.ts';
import { disconnectSignal, type Ticket } from '../http/admission.ts';
import { toHttpError } from '../http/errors.ts';
import { serverTimingHeader, textTimingNames, textTimings, type TimingsJson } from '../http/server-timing.ts';
import { SseStream } from '../http/sse.ts';
import { toChatRequest, toCompletionRequest } from '../openai/requests.ts';
import {
  newId,
  textChunk,
  textResponse,
  timingsChunk,
  unixSeconds,
  usageChunk,
  type ChunkContext,
  type Flavor,
} from '../openai/responses.ts';
import {
  chatBodySchema,
  completionBodySchema,
  type ChatBody,
  type CompletionBody,
  type SamplingBody,
} from '../openai/schemas.ts';
import type { RouteDeps } from './deps.ts';

export function textRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { limits } = deps.config;
  app.post<{ Body: CompletionBody }>(
    '/v1/completions',
    { schema: { body: completionBodySchema(limits) } },
    async (request, reply) =>
      handle(deps, 'completion', toCompletionRequest(deps.engine, request.body), request, reply),
  );
  app.post<{ Body: ChatBody }>(
    '/v1/chat/completions',
    { schema: { body: chatBodySchema(limits) } },
    async (request, reply) =>
      handle(deps, 'chat', toChatRequest(deps.engine, request.body, limits.maxPromptChars), request, reply),
  );
}

async function handle(deps: RouteDeps, flavor: Flavor, req: TextRequest, request: FastifyRequest, reply: FastifyReply) {
  const body = request.body as SamplingBody;
  const slow = new AbortController();
  const ticket = deps.admission.admit(req.model, deps.config.requestDeadlineMs, [
    disconnectSignal(reply.raw),
    slow.signal,
  ]);
  let lastTokenMs = 0;
  const interToken = (): void => {
    const now = performance.now();
    if (lastTokenMs > 0) deps.metrics.interToken(req.model, now - lastTokenMs);
    lastTokenMs = now;
  };
  const finish = (r: TextResult): TimingsJson => {
    const timings = textTimings(r.timings, performance.now() - request.arrivedMs);
    deps.metrics.text(req.model, r, timings.total_ms!);
    return timings;
  };
  const fail = (err: unknown) => {
    deps.metrics.failure(req.model, err instanceof EngineError ? err.code : 'internal');
    return toHttpError(err, deps.lifecycle.draining);
  };
  if (body.stream !== true) {
    try {
      const r = await deps.engine.generateText(req, ticket.signal, interToken);
      const timings = finish(r);
      void reply.header('server-timing', serverTimingHeader(timings, textTimingNames));
      return textResponse(flavor, newId(flavor), req.model, r, timings);
    } catch (err) {
      throw fail(err);
    } finally {
      ticket.release();
    }
  }
  reply.hijack();
  await stream(deps, flavor, req, body, request, reply, ticket, { slow, interToken, finish, fail });
}

interface StreamHooks {
  slow: AbortController;
  interToken: () => void;
  finish: (r: TextResult) => TimingsJson;
  fail: (err: unknown) => ReturnType<typeof toHttpError>;
}

async function stream(
  deps: RouteDeps,
  flavor: Flavor,
  req: TextRequest,
  body: SamplingBody,
  request: FastifyRequest,
  reply: FastifyReply,
  ticket: Ticket,
  hooks: StreamHooks,
) {
  const sse = new SseStream(reply.raw, () =>
    hooks.slow.abort(new EngineError('cancelled', 'client reads too slowly; stream buffer over 1 MiB')),
  );
  const ctx: ChunkContext = { flavor, id: newId(flavor), model: req.model, created: unixSeconds() };
  const begin = (): void => {
    if (sse.isStarted) return;
    // only the time to first token is known when the headers go out; the rest follows in the timings chunk and trailer
    sse.start({ 'server-timing': `ttft;dur=${(performance.now() - request.arrivedMs).toFixed(3)}` });
    if (flavor === 'chat') sse.send(textChunk(ctx, { role: 'assistant', content: '' }, null));
  };
  try {
    const r = await deps.engine.generateText(req, ticket.signal, (t: TokenEvent) => {
      hooks.interToken();
      begin();
      sse.send(textChunk(ctx, { content: t.text }, null));
    });
    begin();
    sse.send(textChunk(ctx, {}, r.finishReason));
    if (body.stream_options?.include_usage === true) sse.send(usageChunk(ctx, r));
    const timings = hooks.finish(r);
    sse.send(timingsChunk(ctx, timings));
    sse.done(serverTimingHeader(timings, textTimingNames));
  } catch (err) {
    sse.fail(hooks.fail(err));
  } finally {
    ticket.release();
  }
}
