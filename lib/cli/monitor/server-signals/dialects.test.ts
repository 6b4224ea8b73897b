// Each dialect against exposition text written from that server's documented
// names, types and label sets (fixtures/<dialect>-1.prom, -2.prom: two
// scrapes 10 s apart; genload's were scraped from the reference server).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { detectDialect, dialectById, DIALECT_IDS, DIALECTS } from './dialects.ts';
import { parseExposition } from './exposition.ts';
import { intervalSignals } from './intervals.ts';
import { serverScraper } from './scraper.ts';
import { snapshotOf } from './snapshot.ts';

const fixture = (name: string): string => readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8');

/** Signals over the interval between a dialect's two fixtures (10 s apart), per group. */
function signalsOf(id: string) {
  const d = dialectById(id)!;
  const a = parseExposition(fixture(`${id}-1.prom`));
  const b = parseExposition(fixture(`${id}-2.prom`));
  assert.equal(a.badLines + b.badLines, 0);
  assert.equal(detectDialect(new Set(a.samples.map((s) => s.name)))?.id, id, `${id} detected from its own names`);
  return intervalSignals(
    d,
    { tMs: 0, series: snapshotOf(a.samples, d) },
    { tMs: 10_000, series: snapshotOf(b.samples, d) },
  );
}

const close = (actual: number | undefined, expected: number, what: string): void =>
  assert.ok(
    actual !== undefined && Math.abs(actual - expected) < 1e-9 * Math.max(1, Math.abs(expected)),
    `${what}: ${actual} != ${expected}`,
  );

test('vLLM v1: gauges, prefix cache ratio, preemptions, histogram means, label group kept', () => {
  const iv = signalsOf('vllm');
  assert.deepEqual([...iv.values.keys()], ['model_name="meta-llama/Llama-3.1-8B-Instruct",engine="0"']);
  const v = iv.values.get('model_name="meta-llama/Llama-3.1-8B-Instruct",engine="0"')!;
  close(v.running, 8, 'running');
  close(v.waiting, 34, 'waiting');
  close(v.kvCacheUsage, 1, 'kv');
  close(v.prefixCacheHitRate, 800 / 4000, 'hit rate');
  close(v.preemptions, 21.2, 'preemptions/s');
  close(iv.deltas.get('model_name="meta-llama/Llama-3.1-8B-Instruct",engine="0"')!.preemptions, 212, 'preemptions');
  close(v.queueTimeMs, (20 / 40) * 1000, 'queue ms');
  close(v.prefillTimeMs, (2 / 40) * 1000, 'prefill ms');
  close(v.decodeTimeMs, (56 / 40) * 1000, 'decode ms');
  close(v.decodeTimePerTokenMs, (12.6 / 450) * 1000, 'decode ms/token');
  close(v.promptTokensPerS, 2000, 'prompt tok/s');
  close(v.generatedTokensPerS, 576, 'gen tok/s');
});

test('vLLM v0: gpu_cache_usage_perc read as the KV cache', () => {
  const d = dialectById('vllm')!;
  const s = parseExposition(fixture('vllm-v0.prom')).samples;
  assert.equal(detectDialect(new Set(s.map((x) => x.name)))?.id, 'vllm');
  const snap = { tMs: 0, series: snapshotOf(s, d) };
  const v = intervalSignals(d, snap, { ...snap, tMs: 1000 }).values.get('model_name="facebook/opt-125m"')!;
  close(v.kvCacheUsage, 0.62, 'kv');
  close(v.running, 3, 'running');
  assert.equal(v.prefixCacheHitRate, undefined);
});

test('llama.cpp --metrics: slots, deferred, time per token from seconds / tokens, prompt cache share', () => {
  const v = signalsOf('llamacpp').values.get('')!;
  close(v.running, 8, 'processing');
  close(v.waiting, 12, 'deferred');
  close(v.busySlots, 8, 'busy slots per decode');
  close(v.prefillTimePerTokenMs, (1.024 / 2048) * 1000, 'prefill ms/token');
  close(v.decodeTimePerTokenMs, (17.92 / 640) * 1000, 'decode ms/token');
  close(v.prefixCacheHitRate, 512 / (512 + 2048), 'prompt cache');
  close(v.promptTokensPerS, 204.8, 'prompt tok/s');
  close(v.generatedTokensPerS, 64, 'gen tok/s');
});

test('SGLang: token usage is the KV cache, cache_hit_rate a gauge; tp_rank summed, model_name kept', () => {
  const iv = signalsOf('sglang');
  const v = iv.values.get('model_name="meta-llama/Llama-3.1-8B-Instruct"')!;
  close(v.running, 48, 'running');
  close(v.waiting, 20, 'queue');
  close(v.kvCacheUsage, 0.97, 'token usage');
  close(v.prefixCacheHitRate, 0.1, 'cache hit rate');
  close(v.generatedTokensPerS, 600, 'gen tok/s');
});

test('TGI: queue size, batch size, queue duration and time per token means', () => {
  const v = signalsOf('tgi').values.get('')!;
  close(v.waiting, 9, 'queue');
  close(v.busySlots, 32, 'batch');
  close(v.queueTimeMs, (6 / 60) * 1000, 'queue ms');
  close(v.decodeTimePerTokenMs, (1.8 / 60) * 1000, 'ms/token');
  close(v.generatedTokensPerS, 768, 'gen tok/s');
});

test('Triton: per-model groups kept apart; µs counters over successes give ms per request', () => {
  const iv = signalsOf('triton');
  const v = iv.values.get('model="resnet50",version="1"')!;
  close(v.waiting, 7, 'pending');
  close(v.queueTimeMs, 7500 / 500, 'queue ms');
  close(v.computeTimeMs, 6500 / 500, 'compute ms');
  // the ensemble had no successes in the interval: no time per request, not 0
  assert.equal(iv.values.get('model="ensemble",version="1"')?.queueTimeMs, undefined);
});

test("genload's reference server (scraped): per model, queue and token times", () => {
  const iv = signalsOf('genload');
  const v = iv.values.get('model="sim-llm"')!;
  assert.ok(v.running !== undefined && v.waiting !== undefined);
  assert.ok(v.decodeTimePerTokenMs !== undefined && v.decodeTimePerTokenMs > 0);
  assert.ok(v.queueTimeMs !== undefined && v.queueTimeMs >= 0);
  assert.ok(v.generatedTokensPerS !== undefined && v.generatedTokensPerS > 0);
  assert.equal(iv.values.get('model="sim-diffusion"')?.decodeTimePerTokenMs, undefined);
});

test('a counter that went down (server restart) gives no value for that interval', () => {
  const d = dialectById('llamacpp')!;
  const a = snapshotOf(parseExposition(fixture('llamacpp-2.prom')).samples, d);
  const b = snapshotOf(parseExposition(fixture('llamacpp-1.prom')).samples, d);
  const v = intervalSignals(d, { tMs: 0, series: a }, { tMs: 1000, series: b }).values.get('')!;
  assert.equal(v.generatedTokensPerS, undefined);
  assert.equal(v.decodeTimePerTokenMs, undefined);
  close(v.running, 4, 'gauges still read');
});

test('the scraper detects once, can be forced, and says none for an unknown server', () => {
  const s = serverScraper();
  assert.equal(s.how, 'none');
  assert.deepEqual(s.read('other_metric 1\n').series, {});
  s.read(fixture('tgi-1.prom'));
  assert.equal(s.dialect?.id, 'tgi');
  assert.equal(s.how, 'detected');
  const forced = serverScraper('vllm');
  assert.equal(forced.how, 'forced');
  assert.deepEqual(forced.read(fixture('tgi-1.prom')).series, {});
  assert.deepEqual(DIALECTS.map((d) => d.id).sort(), [...DIALECT_IDS].sort());
});
