// buildApp wires the HTTP layer around any Engine. It never listens (only
// main.ts does); tests drive it with app.inject.
import { performance } from 'node:perf_hooks';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ServerConfig } from './config/schema.ts';
import type { Engine } from './engine/types.ts';
import { Admission } from './http/admission.ts';
import { bearerChecker } from './http/auth.ts';
import { clientErrorHandler, errorHandler, notFoundHandler, sendError, toHttpError } from './http/errors.ts';
import { Lifecycle } from './http/lifecycle.ts';
import { JobRunner, type RunnerOptions } from './jobs/runner.ts';
import { createMetrics, type ServerMetrics } from './metrics/metrics.ts';
import type { RouteDeps } from './routes/deps.ts';
import { imageRoutes } from './routes/images.ts';
import { jobRoutes } from './routes/jobs.ts';
import { opsRoutes } from './routes/ops.ts';
import { textRoutes } from './routes/text.ts';

/**
 * Routes that answer without the API key (probes and scraping). Every other
 * route, and a path that matches no route, needs it. The check reads the route
 * the router matched (request.routeOptions.url, a pattern), never the raw URL:
 * the router decodes %76 to v, so a test on the raw text is bypassed by /%761/models.
 */
export const PUBLIC_ROUTES: ReadonlySet<string> = new Set(['/health', '/ready', '/metrics']);

export interface AppOptions {
  /** readiness and shutdown state; main.ts marks it ready after engine.start() */
  readonly lifecycle?: Lifecycle;
  /** created before the engine so the engine can report to metrics.observer */
  readonly metrics?: ServerMetrics;
  /** fastify logger (off by default: main.ts prints its own JSON lines) */
  readonly logger?: boolean;
  /** job clock and webhook delivery, injected by tests */
  readonly jobs?: RunnerOptions;
}

export function buildApp(config: Readonly<ServerConfig>, engine: Engine, options: AppOptions = {}): FastifyInstance {
  const lifecycle = options.lifecycle ?? new Lifecycle();
  const metrics = options.metrics ?? createMetrics();
  const admission = new Admission(engine, config, lifecycle);
  metrics.bindEngine(engine, (model) => admission.waiting(model));
  const deps: RouteDeps = { config, engine, admission, lifecycle, metrics };

  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: config.bodyLimitBytes,
    // schema-first routes; coercion off so `null` or "4" is a 400, never 0 or 4
    ajv: { customOptions: { coerceTypes: false, allErrors: false } },
    // while closing, requests on open keep-alive connections still reach the routes, which answer 503 in the OpenAI shape
    return503OnClosing: false,
    // URL errors (undecodable paths, over-long parameters) get the documented error body too
    frameworkErrors: (err, _req, reply) => void sendError(reply, toHttpError(err)),
    clientErrorHandler,
  });
  app.decorateRequest('arrivedMs', 0);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);

  const checkKey = config.apiKey === '' ? undefined : bearerChecker(config.apiKey);
  app.addHook('onRequest', async (request, reply) => {
    request.arrivedMs = performance.now();
    // counted when the socket response closes, which also covers hijacked (streamed) replies
    reply.raw.once('close', () => {
      metrics.httpRequest(
        request.routeOptions.url ?? 'unmatched',
        request.method,
        reply.raw.statusCode,
        performance.now() - request.arrivedMs,
      );
    });
    const route = request.routeOptions.url;
    if (checkKey && (route === undefined || !PUBLIC_ROUTES.has(route))) checkKey(request.headers.authorization);
  });

  const jobs = new JobRunner(deps, options.jobs);
  opsRoutes(app, deps);
  imageRoutes(app, deps);
  textRoutes(app, deps);
  jobRoutes(app, deps, jobs);
  app.addHook('onClose', async () => {
    jobs.close();
    metrics.close();
  });
  return app;
}
