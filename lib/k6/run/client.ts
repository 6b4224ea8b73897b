// The spec of a run's Go client (k6/x/genload's client): per request kind the
// method, URL, headers, timeout and answer kind of the target's API (from
// lib/shared/targets/apis.ts), the job API for async jobs, and the SLO's
// per-request limits. Secrets are only ever placed in these headers. Pure.

import type { TrafficClass } from '../../shared/metrics.ts';
import type { RunConfig } from '../../shared/run-config.ts';
import type { PerRequestLimits } from '../../shared/slo/schema.ts';
import {
  APIS,
  authorizationHeader,
  JOBS,
  routePath,
  type AnswerKind,
  type RouteKey,
} from '../../shared/targets/apis.ts';
import type { Workload } from '../../shared/workload/defaults.ts';

export interface RouteSpec {
  method: string;
  url: string;
  headers: Readonly<Record<string, string>>;
  timeoutMs: number;
  answer: AnswerKind;
}

export interface JobSpec {
  submitUrl: string;
  /** the job id is appended */
  pollUrl: string;
  pollIntervalMs: number;
  headers: Readonly<Record<string, string>>;
  timeoutMs: number;
}

export interface ClientSpec {
  routes: Partial<Record<RouteKey, RouteSpec>>;
  job?: JobSpec;
  perRequest: Partial<Record<TrafficClass, PerRequestLimits>>;
  /** request: one ITL sample per request (its mean gap), the exact gaps in itlFile (long runs: bounded k6 memory) */
  itlSamples: 'token' | 'request';
  itlFile?: string;
}

/** Where itlSamples=request writes every request's exact gaps. */
export const ITL_FILE = 'itl.jsonl';

/** Bearer (API key) or Basic (credentials from the target URL) auth and JSON content type. */
export function requestHeaders(apiKey: string | undefined, basicAuth?: string): Record<string, string> {
  return { 'content-type': 'application/json', ...authorizationHeader(apiKey, basicAuth) };
}

export function clientSpec(
  config: RunConfig,
  workload: Workload,
  mode: 'request' | 'job',
  perRequest: Partial<Record<TrafficClass, PerRequestLimits>>,
  apiKey: string | undefined,
  basicAuth?: string,
): ClientSpec {
  const baseUrl = config.target.url.replace(/\/+$/, '');
  const headers = requestHeaders(apiKey, basicAuth);
  const timeoutMs = workload.timeoutSeconds * 1000;
  const api = APIS[config.target.api];
  if (mode === 'job') {
    if (!api.jobs)
      throw new Error(
        `target.api: '${config.target.api}' has no async job API; async-jobs needs the reference server's`,
      );
    return {
      routes: {},
      perRequest,
      itlSamples: 'token',
      job: {
        submitUrl: `${baseUrl}${JOBS.submitPath}`,
        pollUrl: `${baseUrl}${JOBS.pollPath}`,
        pollIntervalMs: workload.pollIntervalMs,
        headers,
        timeoutMs,
      },
    };
  }
  const routes: Partial<Record<RouteKey, RouteSpec>> = {};
  for (const [key, route] of Object.entries(api.routes) as Array<[RouteKey, (typeof api.routes)[RouteKey]]>) {
    if (route === undefined) continue;
    const h = key === 'llm-stream' ? { ...headers, accept: 'text/event-stream' } : headers;
    routes[key] = {
      method: route.method,
      url: `${baseUrl}${routePath(route, config.target.model, workload.requestPath)}`,
      headers: h,
      timeoutMs,
      answer: route.answer,
    };
  }
  const itl =
    workload.itlSamples === 'request'
      ? { itlSamples: 'request' as const, itlFile: `${config.runDir.replace(/\/+$/, '')}/${ITL_FILE}` }
      : { itlSamples: 'token' as const };
  return { routes, perRequest, ...itl };
}
