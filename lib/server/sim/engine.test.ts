import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import { defaults, type FaultConfig, type SimConfig } from '../config/schema.ts';
import { EngineError, type TextRequest } from '../engine/types.ts';
import { createSimEngine, simModelIds } from './engine.ts';
import { nowMs } from './pace.ts';

const sim = (over: Partial<SimConfig>): SimConfig => ({ ...defaults.sim, ...over });
const noFaults: FaultConfig = defaults.faults;
const text = (over: Partial<TextRequest> = {}): TextRequest => ({
  model: simModelIds.llm,
  prompt: 'hello',
  maxTokens: 5,
  temperature: 1,
  topP: 1,
  seed: 7,
  stop: [],
  ...over,
});
const image = {
  model: simModelIds.diffusion,
  prompt: 'p',
  n: 1,
  widthPx: 16,
  heightPx: 16,
  steps: 4,
  guidanceScale: 7,
  seed: 3,
};
const never = new AbortController().signal;

test('capacity: slots / cost requests per second, within a few percent', async () => {
  // 4 slots, 50 ms per image request -> 80 requests/s; 40 requests keep the slots full for 0.5 s
  const engine = createSimEngine(sim({ slots: 4, stepMs: 10, imageSizes: [16] }), noFaults);
  const requests = 40;
  const start = nowMs();
  await Promise.all(Array.from({ length: requests }, () => engine.generateImages({ ...image, steps: 5 }, never)));
  const elapsedS = (nowMs() - start) / 1000;
  const rateRps = requests / elapsedS;
  // never faster than the slots allow; a busy machine may make it a little slower
  assert.ok(
    rateRps <= 80 * 1.06 && rateRps >= 80 * 0.85,
    `throughput ${rateRps.toFixed(1)} req/s, expected 80 (−15 %, +6 %)`,
  );
});

test('text: deterministic from the seed, paced per token, stats settle to zero', async () => {
  const engine = createSimEngine(sim({ tokenMs: 5, prefillFixedMs: 10 }), noFaults);
  const tokens: string[] = [];
  const a = await engine.generateText(text({ maxTokens: 20 }), never, (t) => tokens.push(t.text));
  const b = await engine.generateText(text({ maxTokens: 20 }), never, () => {});
  const c = await engine.generateText(text({ maxTokens: 20, seed: 8 }), never, () => {});
  assert.equal(a.text, b.text);
  assert.notEqual(a.text, c.text);
  assert.equal(tokens.join(''), a.text);
  assert.equal(a.completionTokens, 20);
  assert.equal(a.promptTokens, 5);
  assert.equal(a.finishReason, 'length');
  // 10 ms prefill + 20 × 5 ms = 110 ms. Sleeps are floored to whole ms and libuv
  // compares against its cached loop clock, so the last timer may fire ~2 ms early
  // (CI saw 108.4); a loaded machine makes it late, never by the upper bound.
  assert.ok(a.timings.totalMs >= 104 && a.timings.totalMs < 400, `total ${a.timings.totalMs}`);
  assert.ok(a.timings.ttftMs >= 12 && a.timings.ttftMs < 150, `ttft ${a.timings.ttftMs}`);
  assert.deepEqual(engine.stats().running, { [simModelIds.llm]: 0 });
});

test('text: stops before a stop string', async () => {
  const engine = createSimEngine(sim({ tokenMs: 0, prefillFixedMs: 0 }), noFaults);
  const full = await engine.generateText(text({ maxTokens: 30 }), never, () => {});
  const word = full.text.split(' ')[3]!;
  const cut = await engine.generateText(text({ maxTokens: 30, stop: [` ${word} `] }), never, () => {});
  assert.equal(cut.finishReason, 'stop');
  assert.ok(!cut.text.includes(` ${word} `) && full.text.startsWith(cut.text));
});

test('text over the context window is invalid_request', async () => {
  const engine = createSimEngine(sim({ contextTokens: 16 }), noFaults);
  await assert.rejects(
    engine.generateText(text({ maxTokens: 12 }), never, () => {}),
    (e) => e instanceof EngineError && e.code === 'invalid_request',
  );
});

test('images: real PNGs of the requested size, deterministic from the seed', async () => {
  const engine = createSimEngine(sim({ stepMs: 1, imageSizes: [16] }), noFaults);
  const r = await engine.generateImages({ ...image, n: 2 }, never);
  const again = await engine.generateImages({ ...image, n: 2 }, never);
  assert.equal(r.images.length, 2);
  const png = Buffer.from(r.images[0]!);
  assert.equal(png.subarray(1, 4).toString('ascii'), 'PNG');
  assert.equal(png.readUInt32BE(16), 16);
  const idatLength = png.readUInt32BE(33);
  assert.equal(inflateSync(png.subarray(41, 41 + idatLength)).length, (16 * 3 + 1) * 16);
  assert.deepEqual(again.images[0], r.images[0]);
  assert.notDeepEqual(r.images[1], r.images[0]);
  // stage timings are the scheduled costs: 2 images × 4 steps × 1 ms
  assert.deepEqual([r.timings.denoiseMs, r.timings.stepMeanMs], [8, 1]);
});

test('abort while queued frees the queue, abort while running frees the slot', async () => {
  const engine = createSimEngine(sim({ slots: 1, stepMs: 50, imageSizes: [16] }), noFaults);
  const running = new AbortController();
  const queued = new AbortController();
  const first = engine.generateImages(image, running.signal);
  const second = engine.generateImages(image, queued.signal);
  await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual(engine.stats().waiting, { [simModelIds.diffusion]: 1 });
  queued.abort(new EngineError('cancelled', 'client left'));
  running.abort(new EngineError('deadline_exceeded', 'too slow'));
  await assert.rejects(second, (e) => e instanceof EngineError && e.code === 'cancelled');
  await assert.rejects(first, (e) => e instanceof EngineError && e.code === 'deadline_exceeded');
  assert.deepEqual(engine.stats().waiting, {});
  const t = nowMs();
  await engine.generateImages({ ...image, steps: 1 }, never);
  assert.ok(nowMs() - t < 100, 'the slot was free again');
});

test('faults: error rate, stall, crash', async () => {
  const failing = createSimEngine(sim({ stepMs: 0 }), { ...noFaults, errorRate: 1 });
  await assert.rejects(
    failing.generateImages(image, never),
    (e) => e instanceof EngineError && e.code === 'injected_fault',
  );

  const stalling = createSimEngine(sim({ tokenMs: 1 }), { ...noFaults, stallProbability: 1 });
  const ctrl = new AbortController();
  let tokens = 0;
  const stalled = stalling.generateText(text({ maxTokens: 10 }), ctrl.signal, () => tokens++);
  await new Promise((r) => setTimeout(r, 80));
  assert.equal(tokens, 5, 'stalls half-way');
  ctrl.abort(new EngineError('deadline_exceeded', 'deadline'));
  await assert.rejects(stalled, (e) => e instanceof EngineError && e.code === 'deadline_exceeded');

  let crashes = 0;
  const crashing = createSimEngine(
    sim({ tokenMs: 5 }),
    { ...noFaults, crashAfterRequests: 2 },
    { onWorkerCrash: () => crashes++ },
  );
  const results = await Promise.allSettled(
    [1, 2, 3].map(() => crashing.generateText(text({ maxTokens: 10 }), never, () => {})),
  );
  assert.deepEqual(
    results.map((r) => (r.status === 'rejected' ? (r.reason as EngineError).code : 'ok')),
    ['worker_crashed', 'worker_crashed', 'ok'],
  );
  assert.equal(crashes, 1);
});

test('unknown model is invalid_request', async () => {
  const engine = createSimEngine(defaults.sim, noFaults);
  await assert.rejects(
    engine.generateImages({ ...image, model: 'x' }, never),
    (e) => e instanceof EngineError && e.code === 'invalid_request',
  );
});

test('faults: a latency spike holds the slot spikeMs longer', async () => {
  const spiky = createSimEngine(sim({ stepMs: 1, imageSizes: [16] }), {
    ...noFaults,
    spikeProbability: 1,
    spikeMs: 60,
  });
  const r = await spiky.generateImages(image, never);
  assert.ok(r.timings.totalMs >= 60, `total ${r.timings.totalMs}`);
  const calm = createSimEngine(sim({ stepMs: 1, imageSizes: [16] }), noFaults);
  assert.ok((await calm.generateImages(image, never)).timings.totalMs < 60);
});
