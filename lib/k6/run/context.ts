// Per-VU state of a run, built once in the init context from the config: the
// target module, headers, per-class goodput limits, arrival schedules per phase,
// and what every iteration would otherwise rebuild (base URL, tag objects and
// target contexts per stage × class, the prompt pool, the counted Trends).
// Pure (the transport is passed in), so scenario wiring is testable in Node.

import type { TrafficClass } from '../../shared/metrics.ts';
import type { RunConfig } from '../../shared/run-config.ts';
import type { PerRequestLimits, Slo } from '../../shared/slo/schema.ts';
import { TAG } from '../../shared/metrics.ts';
import { withWorkloadDefaults, type Workload } from '../../shared/workload/defaults.ts';
import { promptPool } from '../../shared/workload/prompts.ts';
import { sampleClass, sampleWork, type WorkItem } from '../../shared/workload/sample.ts';
import { mixSeed, seededUniform } from '../../shared/stats/random.ts';
import { ArrivalSchedule, DEFAULT_WINDOW_ARRIVALS } from '../arrival/schedule.ts';
import { countedTrends } from '../metrics/samples.ts';
import { DEFAULT_SLO } from '../plan/options.ts';
import type { Phase, Plan } from '../../shared/plan/phase.ts';
import { requestHeaders } from '../targets/exchange.ts';
import { targetFor } from '../targets/registry.ts';
import type { Target, TargetContext } from '../targets/types.ts';
import type { Transport } from '../transport/types.ts';
import type { NativeRunner } from './native.ts';

export interface RunContext {
  config: RunConfig;
  workload: Workload;
  slo: Slo | null;
  target: Target;
  headers: Record<string, string>;
  perRequest: Partial<Record<TrafficClass, PerRequestLimits>>;
  phases: ReadonlyMap<string, { index: number; phase: Phase; schedule: ArrivalSchedule | undefined }>;
  transport: Transport;
  /** target URL without trailing slashes */
  baseUrl: string;
  /** Trends whose samples the SLO's count thresholds read (genload_samples) */
  counted: ReadonlySet<string>;
  /** the tags and target context of one stage × class, built on first use and reused (see requestContext) */
  requestContexts: Map<string, RequestContext>;
  /** the request path in Go (native.ts), when k6/x/genload's runner agreed with this script at init */
  native?: NativeRunner;
}

export interface RequestContext {
  /** stage and class: the base tags of every sample and request */
  tags: Readonly<Record<string, string>>;
  /** stage-only tags (start lag: the load generator, not a request) */
  stageTags: Readonly<Record<string, string>>;
  target: TargetContext;
}

/** The tags and target context for one stage × class; the same objects every time, so k6 side code can recognise them. */
export function requestContext(ctx: RunContext, stage: string, cls: TrafficClass): RequestContext {
  const key = cls === 'llm' ? `llm ${stage}` : `image ${stage}`;
  let rc = ctx.requestContexts.get(key);
  if (rc === undefined) {
    const tags = Object.freeze({ [TAG.stage]: stage, [TAG.class]: cls });
    rc = {
      tags,
      stageTags: Object.freeze({ [TAG.stage]: stage }),
      target: { baseUrl: ctx.baseUrl, model: ctx.config.target.model, headers: ctx.headers, tags, timeoutMs: ctx.workload.timeoutSeconds * 1000, workload: ctx.workload, transport: ctx.transport },
    };
    ctx.requestContexts.set(key, rc);
  }
  return rc;
}

/** The class and work item of request `requestKey` of phase `phaseIndex`: seeded, so a run's requests can be reproduced. */
export function sampleRequest(ctx: RunContext, phaseIndex: number, requestKey: number, llmShare: number): WorkItem {
  const u = seededUniform(mixSeed(ctx.config.load.seed, phaseIndex, requestKey));
  return sampleWork(u, ctx.workload, sampleClass(u, llmShare));
}

export function buildRunContext(config: RunConfig, plan: Plan, apiKey: string | undefined, transport: Transport, basicAuth?: string): RunContext {
  const workload = withWorkloadDefaults(config.workload);
  const slo = (config.slo ?? null) as Slo | null;
  const target = targetFor(config.target.api);
  const phases = new Map<string, { index: number; phase: Phase; schedule: ArrivalSchedule | undefined }>();
  plan.phases.forEach((phase, index) => {
    const e = phase.executor;
    const schedule =
      e.kind === 'constant-arrival-rate'
        ? new ArrivalSchedule({ arrival: config.load.arrival, rateRps: e.rateRps, gammaShape: workload.gammaShape, seed: config.load.seed + index, windowArrivals: DEFAULT_WINDOW_ARRIVALS })
        : undefined;
    phases.set(phase.name, { index, phase, schedule });
  });
  const perRequest: Partial<Record<TrafficClass, PerRequestLimits>> = {};
  if (slo?.classes.llm?.perRequest !== undefined) perRequest.llm = slo.classes.llm.perRequest;
  if (slo?.classes.image?.perRequest !== undefined) perRequest.image = slo.classes.image.perRequest;
  promptPool(); // built here, in k6's init context, so no request pays for it
  return {
    config,
    workload,
    slo,
    target,
    headers: requestHeaders(apiKey, basicAuth),
    perRequest,
    phases,
    transport,
    baseUrl: config.target.url.replace(/\/+$/, ''),
    counted: countedTrends(slo ?? DEFAULT_SLO),
    requestContexts: new Map(),
  };
}

/** LLM share of a scenario for this target: what the scenario wants, limited to what the API can send. */
export function llmShareFor(target: Target, wanted: 'llm' | 'image' | 'mixed' | 'auto' | 'any', workload: Workload): number {
  const cls = workload.trafficClass !== 'auto' && wanted === 'auto' ? workload.trafficClass : wanted;
  const canLlm = target.classes.includes('llm');
  const canImage = target.classes.includes('image');
  const problem = (c: string) => new Error(`target.api: '${target.api}' cannot send ${c} traffic; use an API among those that can, or another scenario`);
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
    return workload.classMix;
  }
  if (cls === 'any' && canLlm && canImage) return workload.classMix;
  return canLlm ? 1 : 0; // auto: LLM when possible
}
