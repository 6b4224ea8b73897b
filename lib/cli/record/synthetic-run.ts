// Synthetic run folders in the real file formats (k6 JSON output lines,
// summary.json, run.json, monitors.json, capacity.json), for tests of the
// readers, reports, compare and gate without running k6. Latencies are drawn
// from a seeded log-normal so two folders with the same settings but different
// seeds are two honest draws of one distribution.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { COUNTER, RATE, STAGE, TAG, TREND } from '../../shared/metrics.ts';
import { mixSeed, normal, seededUniform } from '../../shared/stats/random.ts';
import { percentileSorted } from '../../shared/stats/summary.ts';

export interface SyntheticRunOptions {
  runId: string;
  seed: number;
  /** measured requests (warm-up requests come on top) */
  requests: number;
  warmupRequests?: number;
  /** median end-to-end latency, ms */
  medianMs: number;
  /** log-normal shape: 0.25 is a moderately skewed latency distribution */
  sigma?: number;
  /** fraction of measured requests that fail (error_class 5xx) */
  errorRate?: number;
  /** add TTFT and ITL samples (a streaming LLM run) */
  streaming?: boolean;
  /** add per-step samples (a diffusion run) */
  steps?: number;
  startMs?: number;
  /** requests per second (sample spacing) */
  rateRps?: number;
  /** p(95) threshold on genload_e2e_ms, ms */
  p95LimitMs?: number;
  monitors?: boolean;
  capacity?: unknown;
  /** a mixed run: this share of requests is class llm, the rest class image with imageFactor × the latency */
  mixed?: { llmShare: number; imageFactor: number };
  /** files written as outputs/<name> */
  outputs?: Record<string, Uint8Array | string>;
}

const point = (metric: string, tMs: number, value: number, tags: Record<string, string>): string => JSON.stringify({ metric, type: 'Point', data: { time: new Date(tMs).toISOString(), value, tags } });
const declare = (metric: string, type: string, contains = 'default'): string => JSON.stringify({ type: 'Metric', data: { name: metric, type, contains, thresholds: [], submetrics: null }, metric });

export function writeSyntheticRun(resultsDir: string, o: SyntheticRunOptions): string {
  const dir = join(resultsDir, o.runId);
  mkdirSync(dir, { recursive: true });
  const u = seededUniform(mixSeed(o.seed, 0x51));
  const sigma = o.sigma ?? 0.25;
  const start = o.startMs ?? Date.UTC(2026, 0, 1, 12, 0, 0);
  const gapMs = 1000 / (o.rateRps ?? 10);
  const lines = [declare(TREND.e2eMs, 'trend', 'time'), declare('http_req_duration', 'trend', 'time'), declare(COUNTER.requests, 'counter'), declare(COUNTER.errors, 'counter'), declare(RATE.errorRate, 'rate')];
  const measured: number[] = [];
  let failed = 0;
  const warm = o.warmupRequests ?? 0;
  for (let i = 0; i < warm + o.requests; i++) {
    const stage = i < warm ? STAGE.warmup : STAGE.measure;
    const t = start + i * gapMs;
    // the warm-up is slower (cold caches), as in a real run: it must not leak into the numbers
    const cls = o.mixed !== undefined ? (u() < o.mixed.llmShare ? 'llm' : 'image') : o.steps !== undefined ? 'image' : 'llm';
    const latency = o.medianMs * Math.exp(sigma * normal(u)) * (stage === STAGE.warmup ? 3 : 1) * (o.mixed !== undefined && cls === 'image' ? o.mixed.imageFactor : 1);
    const fails = stage === STAGE.measure && u() < (o.errorRate ?? 0);
    const tags = { [TAG.stage]: stage, [TAG.class]: cls };
    lines.push(point('http_req_duration', t, latency, { ...tags, status: fails ? '500' : '200' }));
    lines.push(point(COUNTER.requests, t, 1, tags));
    lines.push(point(RATE.errorRate, t, fails ? 1 : 0, tags));
    if (fails) {
      failed++;
      lines.push(point(COUNTER.errors, t, 1, { ...tags, [TAG.errorClass]: '5xx' }));
      continue;
    }
    lines.push(point(TREND.e2eMs, t, latency, tags));
    if (stage === STAGE.measure) measured.push(latency);
    if (o.streaming === true) {
      lines.push(point(TREND.ttftMs, t, latency * 0.2, tags));
      for (let k = 0; k < 5; k++) lines.push(point(TREND.itlMs, t, (latency * 0.16) * Math.exp(0.2 * normal(u)), tags));
    }
    if (o.steps !== undefined) for (let k = 0; k < o.steps; k++) lines.push(point(TREND.stepMs, t, (latency / o.steps) * Math.exp(0.1 * normal(u)), tags));
  }
  writeFileSync(join(dir, 'samples.json.gz'), gzipSync(`${lines.join('\n')}\n`));

  const sorted = [...measured].sort((a, b) => a - b);
  const p95 = percentileSorted(sorted, 95);
  const thresholds = o.p95LimitMs !== undefined ? { [`p(95)<${o.p95LimitMs}`]: { ok: p95 < o.p95LimitMs } } : undefined;
  const sloOk = thresholds === undefined || Object.values(thresholds).every((t) => t.ok);
  const endMs = start + (warm + o.requests) * gapMs;
  const summary = {
    schemaVersion: 1,
    tool: 'genload',
    scenario: 'synthetic',
    runId: o.runId,
    durationMs: endMs - start,
    validity: { valid: true, reasons: [] },
    slo: { passed: sloOk },
    metrics: {
      [`${TREND.e2eMs}{stage:measure}`]: { type: 'trend', contains: 'time', values: { avg: sorted.reduce((a, b) => a + b, 0) / sorted.length, med: percentileSorted(sorted, 50), 'p(95)': p95, 'p(99)': percentileSorted(sorted, 99) }, ...(thresholds ? { thresholds } : {}) },
      [RATE.errorRate]: { type: 'rate', values: { rate: failed / o.requests }, thresholds: { 'rate<0.05': { ok: failed / o.requests < 0.05 } } },
    },
  };
  writeFileSync(join(dir, 'summary.json'), JSON.stringify(summary, null, 2));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ scenario: 'synthetic', runId: o.runId, target: { url: 'http://127.0.0.1:8000', api: 'reference' } }));
  writeFileSync(join(dir, 'environment.json'), JSON.stringify({ genload: '0.1.0', k6: 'v1.8.1', node: process.version, onnxruntime: '1.30.0', cpuModel: 'synthetic CPU', cpuCount: 2, gpu: null }));
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ schemaVersion: 1, runId: o.runId, scenario: 'synthetic', startedAt: new Date(start).toISOString(), endedAt: new Date(endMs).toISOString(), k6ExitCode: sloOk ? 0 : 99, exitCode: sloOk ? 0 : 99, verdict: sloOk ? 'passed' : 'slo-breached', message: sloOk ? 'passed: every SLO threshold held' : 'SLO thresholds breached' }));
  if (o.monitors === true) writeFileSync(join(dir, 'monitors.json'), JSON.stringify(syntheticMonitors(start, endMs, u)));
  if (o.capacity !== undefined) writeFileSync(join(dir, 'capacity.json'), JSON.stringify(o.capacity));
  if (o.outputs !== undefined) {
    mkdirSync(join(dir, 'outputs'), { recursive: true });
    for (const [name, content] of Object.entries(o.outputs)) writeFileSync(join(dir, 'outputs', name), content);
  }
  return dir;
}

function syntheticMonitors(startMs: number, endMs: number, u: () => number): unknown {
  const process: unknown[] = [];
  const host: unknown[] = [];
  const server: unknown[] = [];
  let batches = 0;
  let items = 0;
  let tokens = 0;
  let reqs = 0;
  for (let t = startMs, i = 0; t <= endMs && i < 600; t += 1000, i++) {
    const batch = 1 + Math.floor(u() * 6);
    batches += 20;
    items += 20 * batch;
    tokens += 20 * batch * 8;
    reqs += batch * 2;
    process.push({ tMs: t, cpuPercent: 60 + 80 * u(), rssBytes: (300 + 20 * u()) * 2 ** 20 });
    host.push({ tMs: t, cpuPercent: 50 + 40 * u(), memUsedBytes: 4 * 2 ** 30 });
    server.push({ tMs: t, values: { genload_batch_size_sum: items, genload_batch_size_count: batches, genload_generation_tokens_total: tokens, genload_e2e_request_latency_seconds_count: reqs, genload_num_requests_waiting: Math.floor(u() * 4), genload_num_requests_running: batch } });
  }
  return { schemaVersion: 1, intervalMs: 1000, startedAt: new Date(startMs).toISOString(), endedAt: new Date(endMs).toISOString(), target: { pid: 1, metricsUrl: 'http://127.0.0.1:8000/metrics' }, gpu: { available: false, note: 'nvidia-smi not found on PATH: no GPU series' }, process, host, gpuSeries: [], server, notes: [] };
}
