import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Outcome } from '../targets/types.ts';
import { derived, samplesOf, type Sample } from './samples.ts';

const byMetric = (samples: Sample[]) => {
  const m: Record<string, number[]> = {};
  for (const s of samples) (m[s.tags?.['metric_name'] ? `samples:${s.tags['metric_name']}` : s.tags?.['error_class'] ? `errors:${s.tags['error_class']}` : s.metric] ??= []).push(s.value);
  return m;
};

test('a streamed LLM success records ttft, itl, tpot, tokens/s and pairs each trend with a sample count', () => {
  const o: Outcome = { class: 'llm', ok: true, status: 200, e2eMs: 100, ttftMs: 10, itlMs: [30, 30, 30], outputTokens: 4, promptTokens: 9, server: { queueMs: 5, totalMs: 95 } };
  const m = byMetric(samplesOf(o, { ttftMs: 50 }));
  assert.deepEqual(m['genload_ttft_ms'], [10]);
  assert.deepEqual(m['genload_itl_ms'], [30, 30, 30]);
  assert.deepEqual(m['samples:genload_itl_ms'], [3]);
  assert.deepEqual(m['genload_tpot_ms'], [30]);
  assert.deepEqual(m['genload_output_tokens_per_s'], [40]);
  assert.deepEqual(m['genload_output_tokens'], [4]);
  assert.deepEqual(m['genload_server_inference_ms'], [90]);
  assert.deepEqual(m['genload_client_overhead_ms'], [5]);
  assert.deepEqual(m['genload_goodput_ratio'], [1]);
  assert.deepEqual(m['genload_error_rate'], [0]);
  assert.equal(m['genload_step_ms'], undefined);
});

test('a failure counts as an error of its class and records no latency', () => {
  const o: Outcome = { class: 'image', ok: false, status: 503, errorClass: 'shed', e2eMs: 1, server: {} };
  const m = byMetric(samplesOf(o, undefined));
  assert.deepEqual(m['errors:shed'], [1]);
  assert.deepEqual(m['genload_error_rate'], [1]);
  assert.deepEqual(m['genload_goodput_ratio'], [0]);
  assert.equal(m['genload_e2e_ms'], undefined);
  assert.deepEqual(m['genload_requests'], [1]);
});

test('per-step latency prefers Server-Timing step, else e2e / steps; goodput uses per-request limits', () => {
  const base: Outcome = { class: 'image', ok: true, status: 200, e2eMs: 200, images: 1, steps: 8, server: {} };
  assert.equal(derived(base).stepMs, 25);
  assert.equal(derived({ ...base, server: { stepMs: 20 } }).stepMs, 20);
  const m = byMetric(samplesOf({ ...base, server: { stepMs: 20, denoiseMs: 160 } }, { stepMs: 10 }));
  assert.deepEqual(m['genload_step_ms'], [20]);
  assert.deepEqual(m['genload_server_denoise_ms'], [160]);
  assert.deepEqual(m['genload_goodput_ratio'], [0]);
  assert.deepEqual(m['genload_images'], [1]);
});

test('genload_samples counts only the Trends the SLO bounds, exactly those compileSlo pairs with a count threshold', async () => {
  const { countedTrends } = await import('./samples.ts');
  const { compileSlo } = await import('../../shared/slo/compile.ts');
  const { readdirSync, readFileSync } = await import('node:fs');
  const dir = new URL('../../../thresholds/', import.meta.url);
  const profiles = readdirSync(dir).filter((f) => f.endsWith('.json') && !f.includes('schema'));
  assert.ok(profiles.length > 0);
  for (const f of profiles) {
    const slo = JSON.parse(readFileSync(new URL(f, dir), 'utf8'));
    const keys = Object.keys(compileSlo({ slo, judgedStages: ['measure'], classes: ['llm', 'image'], abortable: false }).thresholds);
    const paired = new Set(keys.filter((k) => k.startsWith('genload_samples{')).map((k) => /metric_name:([a-z0-9_]+)/.exec(k)?.[1]));
    assert.deepEqual([...countedTrends(slo)].sort(), [...paired].sort(), f);
  }
  const o: Outcome = { class: 'llm', ok: true, status: 200, e2eMs: 100, outputTokens: 4, server: { totalMs: 95 } };
  const counts = (counted?: ReadonlySet<string>) => samplesOf(o, undefined, counted).filter((s) => s.metric === 'genload_samples').map((s) => s.tags?.['metric_name']);
  assert.deepEqual(counts(new Set(['genload_e2e_ms'])), ['genload_e2e_ms']);
  assert.deepEqual(counts(new Set()), []);
  assert.equal(counts(undefined).length, 4, 'no set: every Trend counted (e2e, tokens/s, server total, overhead)');
});
