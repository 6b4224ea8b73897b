// What every route group gets from buildApp.
import type { ServerConfig } from '../config/schema.ts';
import type { Engine } from '../engine/types.ts';
import type { Admission } from '../http/admission.ts';
import type { Lifecycle } from '../http/lifecycle.ts';
import type { ServerMetrics } from '../metrics/metrics.ts';

export interface RouteDeps {
  readonly config: Readonly<ServerConfig>;
  readonly engine: Engine;
  readonly admission: Admission;
  readonly lifecycle: Lifecycle;
  readonly metrics: ServerMetrics;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** performance.now() when the request arrived (onRequest hook) */
    arrivedMs: number;
  }
}
