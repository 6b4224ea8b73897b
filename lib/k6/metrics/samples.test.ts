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

// build/xk6-sse/outcome.go records Outcomes in Go with samplesOf's rules. The
// golden file holds samplesOf's answers for seeded random and hand-picked
// outcomes; this test checks the file still matches samplesOf, and the Go test
// (`make test-go`) checks the Go recorder against the same file. After a change
// to samplesOf: GENLOAD_UPDATE_GOLDEN=1 node --import tsx --test lib/k6/metrics/samples.test.ts,
// then make outcome.go agree.
test('samplesOf agrees with the golden file the Go outcome recorder is tested against', async () => {
  const { readFileSync, writeFileSync } = await import('node:fs');
  const golden = new URL('../../../build/xk6-sse/testdata/samples.golden.json', import.meta.url);
  const cases = goldenCases().map((c) => ({ ...c, samples: samplesOf(c.outcome, c.perRequest, c.counted === undefined ? undefined : new Set(c.counted)) }));
  const text = `${JSON.stringify(cases, null, 1)}\n`;
  if (process.env['GENLOAD_UPDATE_GOLDEN'] === '1') writeFileSync(golden, text);
  assert.equal(readFileSync(golden, 'utf8'), text, 'samplesOf changed: regenerate the golden file (see above) and update build/xk6-sse/outcome.go');
  assert.ok(cases.some((c) => !c.outcome.ok) && cases.some((c) => c.samples.some((s) => s.metric === 'genload_good_requests')) && cases.some((c) => c.samples.some((s) => s.metric === 'genload_itl_ms')));
});

interface GoldenCase {
  name: string;
  outcome: Outcome;
  perRequest?: { e2eMs?: number; ttftMs?: number; tpotMs?: number; stepMs?: number };
  counted?: string[];
}

/** Hand-picked edge cases, then seeded random outcomes over every optional field (finite values: JSON has no NaN). */
function goldenCases(): GoldenCase[] {
  const cases: GoldenCase[] = [
    { name: 'json success', outcome: { class: 'llm', ok: true, status: 200, e2eMs: 12.5, outputTokens: 3, usageCompletionTokens: 3, promptTokens: 9, server: { totalMs: 10 } }, counted: [] },
    { name: 'failure without class', outcome: { class: 'llm', ok: false, status: 0, e2eMs: 3, server: {} } },
    { name: 'failure with class', outcome: { class: 'image', ok: false, status: 503, errorClass: 'shed', e2eMs: 3, server: { totalMs: 1 } }, counted: ['genload_e2e_ms'] },
    { name: 'stream, all counted', outcome: { class: 'llm', ok: true, status: 200, e2eMs: 100, ttftMs: 20, itlMs: [5, 6.5, 7], outputTokens: 4, server: { queueMs: 2, totalMs: 90 } } },
    { name: 'one token: no tpot', outcome: { class: 'llm', ok: true, status: 200, e2eMs: 100, ttftMs: 20, itlMs: [], outputTokens: 1, server: {} }, counted: ['genload_tpot_ms', 'genload_itl_ms'] },
    { name: 'zero e2e: no tokens/s', outcome: { class: 'llm', ok: true, status: 200, e2eMs: 0, outputTokens: 2, server: {} }, counted: [] },
    { name: 'image steps', outcome: { class: 'image', ok: true, status: 200, e2eMs: 80, images: 1, steps: 4, server: { denoiseMs: 60, totalMs: 85, queueMs: 30 } }, perRequest: { stepMs: 19 }, counted: ['genload_step_ms'] },
    { name: 'server step wins', outcome: { class: 'image', ok: true, status: 200, e2eMs: 80, steps: 4, server: { stepMs: 30 } }, perRequest: { stepMs: 25 }, counted: [] },
    { name: 'limit on an unmeasured latency', outcome: { class: 'llm', ok: true, status: 200, e2eMs: 5, server: {} }, perRequest: { ttftMs: 100 }, counted: [] },
    { name: 'queue over total', outcome: { class: 'llm', ok: true, status: 200, e2eMs: 5, server: { queueMs: 9, totalMs: 4 } }, counted: ['genload_server_inference_ms'] },
  ];
  let state = 12345;
  const u = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const maybe = <T>(f: () => T): T | undefined => (u() < 0.5 ? undefined : f());
  const ms = () => Math.round(u() * 20000) / 100;
  const trends = ['genload_e2e_ms', 'genload_ttft_ms', 'genload_itl_ms', 'genload_tpot_ms', 'genload_output_tokens_per_s', 'genload_step_ms', 'genload_server_queue_ms', 'genload_server_total_ms', 'genload_client_overhead_ms'];
  for (let i = 0; i < 60; i++) {
    const ok = u() < 0.8;
    const server: Outcome['server'] = {};
    for (const k of ['queueMs', 'totalMs', 'denoiseMs', 'stepMs'] as const) {
      const v = maybe(ms);
      if (v !== undefined) server[k] = v;
    }
    const outcome: Outcome = { class: u() < 0.5 ? 'llm' : 'image', ok, status: ok ? 200 : 500, e2eMs: u() < 0.05 ? 0 : ms(), server };
    if (!ok && u() < 0.5) outcome.errorClass = '5xx';
    const ttft = maybe(ms);
    if (ttft !== undefined) outcome.ttftMs = ttft;
    const tokens = maybe(() => Math.floor(u() * 5));
    if (tokens !== undefined) outcome.outputTokens = tokens;
    const prompt = maybe(() => Math.floor(u() * 50));
    if (prompt !== undefined) outcome.promptTokens = prompt;
    const images = maybe(() => 1);
    if (images !== undefined) outcome.images = images;
    const steps = maybe(() => Math.floor(u() * 3));
    if (steps !== undefined) outcome.steps = steps;
    if (u() < 0.3) outcome.itlMs = Array.from({ length: Math.floor(u() * 3) }, ms);
    const c: GoldenCase = { name: `random ${i}`, outcome };
    if (u() < 0.5) {
      const limits: NonNullable<GoldenCase['perRequest']> = {};
      for (const k of ['e2eMs', 'ttftMs', 'tpotMs', 'stepMs'] as const) {
        const v = maybe(ms);
        if (v !== undefined) limits[k] = v;
      }
      c.perRequest = limits;
    }
    if (u() < 0.8) c.counted = trends.filter(() => u() < 0.4);
    cases.push(c);
  }
  return cases;
}
