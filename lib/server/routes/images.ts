// POST /v1/images/generations: OpenAI shape plus steps, guidance_scale, seed,
// model and negative_prompt; b64_json only.
import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import { EngineError } from '../engine/types.ts';
import { disconnectSignal } from '../http/admission.ts';
import { toHttpError } from '../http/errors.ts';
import { imageTimingNames, imageTimings, serverTimingHeader } from '../http/server-timing.ts';
import { toImageRequest } from '../openai/requests.ts';
import { imageResponse } from '../openai/responses.ts';
import { imageBodySchema, type ImageBody } from '../openai/schemas.ts';
import type { RouteDeps } from './deps.ts';

export function imageRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.post<{ Body: ImageBody }>(
    '/v1/images/generations',
    { schema: { body: imageBodySchema(deps.config.limits) } },
    async (request, reply) => {
      const req = toImageRequest(deps.engine, request.body);
      const ticket = deps.admission.admit(req.model, deps.config.requestDeadlineMs, [disconnectSignal(reply.raw)]);
      try {
        const result = await deps.engine.generateImages(req, ticket.signal);
        const timings = imageTimings(result.timings, performance.now() - request.arrivedMs);
        deps.metrics.image(req.model, result.timings, req.n, req.steps, performance.now() - request.arrivedMs);
        void reply.header('server-timing', serverTimingHeader(timings, imageTimingNames));
        return imageResponse(result, timings);
      } catch (err) {
        deps.metrics.failure(req.model, err instanceof EngineError ? err.code : 'internal');
        throw toHttpError(err, deps.lifecycle.draining);
      } finally {
        ticket.release();
      }
    },
  );
}
