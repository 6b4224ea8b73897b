// GET /health (alive), GET /ready (engine started and warmed up, not
// draining), GET /metrics (Prometheus text), GET /v1/models.
import type { FastifyInstance } from 'fastify';
import { errorBody, HttpError } from '../http/errors.ts';
import type { RouteDeps } from './deps.ts';

export function opsRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { engine, lifecycle, metrics } = deps;

  app.get('/health', async () => ({
    status: 'ok',
    engine: engine.kind,
    provider: engine.provider,
    ready: lifecycle.ready,
    in_flight: deps.admission.total,
  }));

  app.get('/ready', async (_request, reply) => {
    if (lifecycle.ready) return { status: 'ready' };
    const err = new HttpError(503, 'not_ready', `not ready: ${lifecycle.reason}`);
    return reply
      .code(503)
      .header('retry-after', '1')
      .send({ status: 'not_ready', reason: lifecycle.reason, ...errorBody(err) });
  });

  app.get('/metrics', async (_request, reply) => {
    const text = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(text);
  });

  app.get('/v1/models', async () => ({
    object: 'list',
    data: engine.models().map((m) => ({
      id: m.id,
      object: 'model',
      created: 0,
      owned_by: 'genload',
      kind: m.kind,
      precision: m.precision,
      ...(m.imageSizes ? { image_sizes: m.imageSizes } : {}),
      ...(m.defaultSteps !== undefined ? { default_steps: m.defaultSteps } : {}),
      ...(m.maxSteps !== undefined ? { max_steps: m.maxSteps } : {}),
      ...(m.contextTokens !== undefined ? { context_tokens: m.contextTokens } : {}),
    })),
  }));
}
