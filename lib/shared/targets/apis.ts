// What each target API is on the wire, as data: the classes it carries, the
// route of each request kind (method, path, the answer kind k6/x/genload reads),
// and how an LLM share is chosen for a scenario. The CLI builds bodies from it
// (bodies.ts); k6 hands the routes to Go (lib/k6/run/client.ts). Pure.

import type { TrafficClass } from '../metrics.ts';
import type { TargetApi } from '../run-config.ts';

/** How k6/x/genload reads an answer (build/xk6-genload/genload/answer.go). */
export type AnswerKind =
  | 'openai'
  | 'openai-stream'
  | 'tgi'
  | 'tgi-stream'
  | 'kserve-v2'
  | 'openai-images'
  | 'openai-images-steps'
  | 'generic-json';

/** One request kind of an API: llm (not streamed), llm-stream, image. */
export type RouteKey = 'llm' | 'llm-stream' | 'image';

export interface Route {
  method: 'POST';
  /** path under the target URL; `{model}` is replaced by the URL-encoded model id */
  path: string;
  answer: AnswerKind;
}

export interface ApiDef {
  classes: readonly TrafficClass[];
  routes: Partial<Record<RouteKey, Route>>;
  /** the async job API (scenario async-jobs) */
  jobs: boolean;
  /** readiness path probed before load is sent */
  readyPath: string;
}

const CHAT = '/v1/chat/completions';
const IMAGES = '/v1/images/generations';
const post = (path: string, answer: AnswerKind): Route => ({ method: 'POST', path, answer });

export const APIS: Readonly<Record<TargetApi, ApiDef>> = {
  reference: {
    classes: ['llm', 'image'],
    jobs: true,
    readyPath: '/ready',
    routes: {
      llm: post(CHAT, 'openai'),
      'llm-stream': post(CHAT, 'openai-stream'),
      image: post(IMAGES, 'openai-images-steps'),
    },
  },
  'openai-chat': {
    classes: ['llm'],
    jobs: false,
    readyPath: '/v1/models',
    routes: { llm: post(CHAT, 'openai'), 'llm-stream': post(CHAT, 'openai-stream') },
  },
  'openai-completions': {
    classes: ['llm'],
    jobs: false,
    readyPath: '/v1/models',
    routes: { llm: post('/v1/completions', 'openai'), 'llm-stream': post('/v1/completions', 'openai-stream') },
  },
  'openai-images': {
    classes: ['image'],
    jobs: false,
    readyPath: '/v1/models',
    routes: { image: post(IMAGES, 'openai-images') },
  },
  tgi: {
    classes: ['llm'],
    jobs: false,
    readyPath: '/health',
    routes: { llm: post('/generate', 'tgi'), 'llm-stream': post('/generate_stream', 'tgi-stream') },
  },
  'kserve-v2': {
    classes: ['llm', 'image'],
    jobs: false,
    readyPath: '/v2/health/ready',
    routes: {
      llm: post('/v2/models/{model}/infer', 'kserve-v2'),
      image: post('/v2/models/{model}/infer', 'kserve-v2'),
    },
  },
  // generic-json: the path is the workload's requestPath (routePath)
  'generic-json': {
    classes: ['llm', 'image'],
    jobs: false,
    readyPath: '/',
    routes: { llm: post('{requestPath}', 'generic-json'), image: post('{requestPath}', 'generic-json') },
  },
};

/** The reference server's job API (scenario async-jobs). */
export const JOBS = { submitPath: '/v1/jobs', pollPath: '/v1/jobs/' } as const;

/** A route's path for a run: model and requestPath filled in. */
export function routePath(route: Route, model: string | undefined, requestPath: string): string {
  return route.path.replace('{model}', encodeURIComponent(model ?? 'model')).replace('{requestPath}', requestPath);
}

/** The Authorization header of requests to the target: Bearer with an API key, else Basic from TARGET's user info, else none. */
export function authorizationHeader(apiKey: string | undefined, basicAuth: string | undefined): Record<string, string> {
  if (apiKey !== undefined) return { authorization: `Bearer ${apiKey}` };
  if (basicAuth !== undefined) return { authorization: `Basic ${basicAuth}` };
  return {};
}

/** Whether LLM answers of this API can be streamed. */
export function canStream(api: TargetApi): boolean {
  return APIS[api].routes['llm-stream'] !== undefined;
}

export type ScenarioTraffic = 'llm' | 'image' | 'mixed' | 'auto' | 'any';

/** LLM share of a scenario for this API: what the scenario wants, limited to what the API can send. */
export function llmShareFor(
  api: TargetApi,
  wanted: ScenarioTraffic,
  trafficClass: 'auto' | 'llm' | 'image',
  classMix: number,
): number {
  const cls = trafficClass !== 'auto' && wanted === 'auto' ? trafficClass : wanted;
  const classes = APIS[api].classes;
  const canLlm = classes.includes('llm');
  const canImage = classes.includes('image');
  const problem = (c: string) =>
    new Error(`target.api: '${api}' cannot send ${c} traffic; use an API among those that can, or another scenario`);
  if (cls === 'llm') {
    if (!canLlm) throw problem('llm');
    return 1;
  }
  if (cls === 'image') {
    if (!canImage) throw problem('image');
    return 0;
  }
  if (cls === 'mixed') {
    if (!canLlm || !canImage) throw problem('mixed');
    return classMix;
  }
  if (cls === 'any' && canLlm && canImage) return classMix;
  return canLlm ? 1 : 0; // auto: LLM when possible
}
