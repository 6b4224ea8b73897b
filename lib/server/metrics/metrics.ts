// Prometheus metrics of the reference server, in their own registry (one per
// app, so tests can build many). Names mirror vLLM/TGI/Triton semantics with a
// `genload_` prefix; the mapping is listed in lib/server/README.md.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Engine, EngineObserver, ImageTimings, TextResult } from '../engine/types.ts';
import { eventLoopLag } from './event-loop-lag.ts';
import { registerGpuMetrics } from './gpu.ts';

const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
const tokenBuckets = [0.001, 0.0025, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 1, 2.5];
const batchBuckets = [1, 2, 4, 8, 16, 32, 64];

export type ServerMetrics = ReturnType<typeof createMetrics>;

export function createMetrics(options: { gpuBinary?: string | undefined } = {}) {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });
  // gpuBinary: undefined = look nvidia-smi up on PATH, '' = no GPU metrics
  const gpu = registerGpuMetrics(registry, options.gpuBinary);

  const info = new Gauge({
    name: 'genload_server_info',
    help: 'engine and execution provider in use (value 1)',
    labelNames: ['engine', 'provider'],
    registers,
  });
  const httpRequests = new Counter({
    name: 'genload_http_requests_total',
    help: 'HTTP requests by route, method and status',
    labelNames: ['route', 'method', 'status'],
    registers,
  });
  const httpDuration = new Histogram({
    name: 'genload_http_request_duration_seconds',
    help: 'HTTP request duration until the response ended',
    labelNames: ['route', 'method'],
    buckets: latencyBuckets,
    registers,
  });
  const e2e = new Histogram({
    name: 'genload_e2e_request_latency_seconds',
    help: 'inference request latency, arrival to last byte (vllm:e2e_request_latency_seconds)',
    labelNames: ['model'],
    buckets: latencyBuckets,
    registers,
  });
  const queue = new Histogram({
    name: 'genload_request_queue_time_seconds',
    help: 'time waiting before the engine started the request (vllm:request_queue_time_seconds)',
    labelNames: ['model'],
    buckets: latencyBuckets,
    registers,
  });
  const ttft = new Histogram({
    name: 'genload_time_to_first_token_seconds',
    help: 'engine admission to first token (vllm:time_to_first_token_seconds)',
    labelNames: ['model'],
    buckets: latencyBuckets,
    registers,
  });
  const itl = new Histogram({
    name: 'genload_inter_token_latency_seconds',
    help: 'time between consecutive tokens of one request (vllm:inter_token_latency_seconds)',
    labelNames: ['model'],
    buckets: tokenBuckets,
    registers,
  });
  const step = new Histogram({
    name: 'genload_step_latency_seconds',
    help: 'duration of one model call (denoiser step, decode step, prefill, ...) (tgi_batch_forward_duration)',
    labelNames: ['model', 'stage'],
    buckets: tokenBuckets,
    registers,
  });
  const batch = new Histogram({
    name: 'genload_batch_size',
    help: 'request items per model call (tgi_batch_current_size)',
    labelNames: ['model', 'stage'],
    buckets: batchBuckets,
    registers,
  });
  const promptTokens = new Counter({
    name: 'genload_prompt_tokens_total',
    help: 'prompt tokens processed (vllm:prompt_tokens_total)',
    labelNames: ['model'],
    registers,
  });
  const generationTokens = new Counter({
    name: 'genload_generation_tokens_total',
    help: 'tokens generated (vllm:generation_tokens_total)',
    labelNames: ['model'],
    registers,
  });
  const images = new Counter({
    name: 'genload_images_total',
    help: 'images generated',
    labelNames: ['model'],
    registers,
  });
  const steps = new Counter({
    name: 'genload_diffusion_steps_total',
    help: 'denoiser steps computed, per image',
    labelNames: ['model'],
    registers,
  });
  const failures = new Counter({
    name: 'genload_request_failures_total',
    help: 'inference requests that failed, by error code (nv_inference_request_failure)',
    labelNames: ['model', 'code'],
    registers,
  });
  const crashes = new Counter({ name: 'genload_worker_crashes_total', help: 'engine worker crashes', registers });

  let engine: Engine | undefined;
  let waitingOf: (model: string) => number = () => 0;
  const busyReported: number[] = [];
  new Gauge({
    name: 'genload_num_requests_running',
    help: 'requests being computed (vllm:num_requests_running)',
    labelNames: ['model'],
    registers,
    collect() {
      this.reset();
      for (const [model, n] of Object.entries(engine?.stats().running ?? {})) this.set({ model }, n);
    },
  });
  new Gauge({
    name: 'genload_num_requests_waiting',
    help: 'requests admitted and waiting for the engine (vllm:num_requests_waiting)',
    labelNames: ['model'],
    registers,
    collect() {
      this.reset();
      for (const card of engine?.models() ?? []) this.set({ model: card.id }, waitingOf(card.id));
    },
  });
  new Counter({
    name: 'genload_worker_busy_seconds_total',
    help: 'time each engine worker spent computing (nv_inference_compute_infer_duration_us)',
    labelNames: ['worker'],
    registers,
    collect() {
      (engine?.stats().workerBusyMs ?? []).forEach((ms, i) => {
        const delta = ms / 1000 - (busyReported[i] ?? 0);
        if (delta > 0) this.inc({ worker: String(i) }, delta);
        busyReported[i] = ms / 1000;
      });
    },
  });
  // event-loop lag since the previous scrape (prom-client's nodejs_eventloop_lag_* are since start and include the timer resolution)
  const loop = eventLoopLag(10);
  new Gauge({
    name: 'genload_event_loop_lag_seconds',
    help: 'event-loop lag (delay beyond the timer resolution) since the previous scrape, by quantile',
    labelNames: ['quantile'],
    registers,
    collect() {
      for (const [q, seconds] of loop.read()) this.set({ quantile: String(q) }, seconds);
    },
  });

  const observer: EngineObserver = {
    onBatch: (e) => {
      step.observe({ model: e.model, stage: e.stage }, e.durationMs / 1000);
      batch.observe({ model: e.model, stage: e.stage }, e.batchSize);
    },
    onWorkerCrash: () => crashes.inc(),
  };

  return {
    registry,
    observer,
    gpuExported: gpu,
    bindEngine(e: Engine, waiting: (model: string) => number): void {
      engine = e;
      waitingOf = waiting;
      info.reset();
      info.set({ engine: e.kind, provider: e.provider }, 1);
    },
    httpRequest(route: string, method: string, status: number, durationMs: number): void {
      httpRequests.inc({ route, method, status: String(status) });
      httpDuration.observe({ route, method }, durationMs / 1000);
    },
    image(model: string, t: ImageTimings, n: number, stepsPerImage: number, e2eMs: number): void {
      e2e.observe({ model }, e2eMs / 1000);
      queue.observe({ model }, t.queueMs / 1000);
      images.inc({ model }, n);
      steps.inc({ model }, n * stepsPerImage);
    },
    text(model: string, r: TextResult, e2eMs: number): void {
      e2e.observe({ model }, e2eMs / 1000);
      queue.observe({ model }, r.timings.queueMs / 1000);
      if (r.completionTokens > 0) ttft.observe({ model }, r.timings.ttftMs / 1000);
      promptTokens.inc({ model }, r.promptTokens);
      generationTokens.inc({ model }, r.completionTokens);
    },
    interToken(model: string, ms: number): void {
      itl.observe({ model }, ms / 1000);
    },
    failure(model: string, code: string): void {
      failures.inc({ model, code });
    },
    close(): void {
      loop.close();
    },
  };
}
