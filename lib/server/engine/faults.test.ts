// withFaults on a scripted engine: each fault's effect, the dice, and the pass-through.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaults, type FaultConfig } from '../config/schema.ts';
import { FaultDice, withFaults } from './faults.ts';
import { EngineError, type Engine, type ImageRequest, type TextRequest } from './types.ts';

const never = new AbortController().signal;
const image: ImageRequest = {
  model: 'm',
  prompt: 'p',
  n: 1,
  widthPx: 8,
  heightPx: 8,
  steps: 2,
  guidanceScale: 1,
  seed: 1,
};
const text: TextRequest = { model: 'm', prompt: 'p', maxTokens: 10, temperature: 0, topP: 1, seed: 1, stop: [] };
const faults = (over: Partial<FaultConfig>): FaultConfig => ({ ...defaults.faults, ...over });
const isCode = (code: string) => (e: unknown) => e instanceof EngineError && e.code === code;

function fakeEngine(): Engine & { calls: number } {
  const e = {
    calls: 0,
    kind: 'sim' as const,
    provider: 'sim',
    models: () => [],
    start: async () => {},
    stats: () => ({ waiting: {}, running: {}, workerBusyMs: [] }),
    close: async () => {},
    async generateImages() {
      e.calls++;
      return {
        images: [new Uint8Array(1)],
        timings: {
          queueMs: 0,
          encodeMs: 0,
          denoiseMs: 0,
          stepMeanMs: 0,
          decodeMs: 0,
          pngMs: 0,
          totalMs: 0,
          meanBatchSize: 1,
        },
      };
    },
    async generateText(req: TextRequest, _s: AbortSignal, onToken: (t: { text: string; index: number }) => void) {
      e.calls++;
      for (let i = 0; i < req.maxTokens; i++) onToken({ text: 'x', index: i });
      return {
        text: 'x'.repeat(req.maxTokens),
        promptTokens: 1,
        completionTokens: req.maxTokens,
        finishReason: 'length' as const,
        timings: { queueMs: 0, prefillMs: 0, decodeMs: 0, ttftMs: 0, totalMs: 0, meanBatchSize: 1 },
      };
    },
  };
  return e;
}

test('no fault configured: the engine itself is served', () => {
  const e = fakeEngine();
  assert.equal(withFaults(e, defaults.faults, { crash: () => {} }), e);
});

test('the dice are seeded and each fault draws independently of the others', () => {
  const draw = (c: FaultConfig) => {
    const dice = new FaultDice(c);
    return Array.from({ length: 200 }, () => dice.next());
  };
  const a = draw(faults({ errorRate: 0.3, seed: 7 }));
  const b = draw(faults({ errorRate: 0.3, seed: 7, stallProbability: 0.5 }));
  assert.deepEqual(
    a.map((p) => p.fail),
    b.map((p) => p.fail),
  );
  const failed = a.filter((p) => p.fail).length;
  assert.ok(failed > 30 && failed < 90, `failed ${failed} of 200`);
  assert.notDeepEqual(
    a.map((p) => p.fail),
    draw(faults({ errorRate: 0.3, seed: 8 })).map((p) => p.fail),
  );
});

test('errorRate 1: every request fails with injected_fault before reaching the engine', async () => {
  const e = fakeEngine();
  const f = withFaults(e, faults({ errorRate: 1 }), { crash: () => {} });
  await assert.rejects(f.generateImages(image, never), isCode('injected_fault'));
  await assert.rejects(
    f.generateText(text, never, () => {}),
    isCode('injected_fault'),
  );
  assert.equal(e.calls, 0);
});

test('a spike delays the request by spikeMs; an abort during it cancels', async () => {
  const f = withFaults(fakeEngine(), faults({ spikeProbability: 1, spikeMs: 80 }), { crash: () => {} });
  const t0 = performance.now();
  await f.generateImages(image, never);
  assert.ok(performance.now() - t0 >= 75);
  await assert.rejects(f.generateImages(image, AbortSignal.timeout(10)), isCode('cancelled'));
});

test('a stalled text request emits half its tokens, then nothing until it is aborted', async () => {
  const f = withFaults(fakeEngine(), faults({ stallProbability: 1 }), { crash: () => {} });
  const ac = new AbortController();
  const tokens: number[] = [];
  const p = f.generateText(text, ac.signal, (t) => tokens.push(t.index));
  let settled = false;
  void p.catch(() => {}).finally(() => (settled = true));
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(settled, false);
  assert.deepEqual(tokens, [0, 1, 2, 3, 4]);
  ac.abort(new EngineError('deadline_exceeded', 'deadline'));
  await assert.rejects(p, isCode('deadline_exceeded'));
});

test('a stalled image request never returns its images until aborted', async () => {
  const f = withFaults(fakeEngine(), faults({ stallProbability: 1 }), { crash: () => {} });
  await assert.rejects(f.generateImages(image, AbortSignal.timeout(50)), isCode('cancelled'));
});

test('a stalled request counts as running and holds capacity through the hook until it is aborted; then both are released', async () => {
  const e = fakeEngine();
  e.stats = () => ({ waiting: {}, running: { m: 2 }, workerBusyMs: [] });
  const held: AbortSignal[] = [];
  let holding = 0;
  const hold = (signal: AbortSignal) => {
    held.push(signal);
    holding++;
    return new Promise<void>((resolve) =>
      signal.addEventListener('abort', () => resolve(void holding--), { once: true }),
    );
  };
  const f = withFaults(e, faults({ stallProbability: 1 }), { crash: () => {}, hold });
  const [a, b] = [new AbortController(), new AbortController()];
  const stalledImage = f.generateImages(image, a.signal);
  const stalledText = f.generateText(text, b.signal, () => {});
  void stalledImage.catch(() => {});
  void stalledText.catch(() => {});
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(f.stats().running, { m: 4 }); // the engine's 2 + the 2 stalled
  assert.deepEqual([held.length, holding], [2, 2]);
  a.abort(new EngineError('cancelled', 'client left'));
  await assert.rejects(stalledImage, isCode('cancelled'));
  assert.deepEqual([f.stats().running, holding], [{ m: 3 }, 1]);
  b.abort(new EngineError('deadline_exceeded', 'deadline'));
  await assert.rejects(stalledText, isCode('deadline_exceeded'));
  assert.deepEqual([f.stats().running, holding], [{ m: 2 }, 0]);
});

test('crashAfterRequests 3: the crash hook runs once, when the third request starts', async () => {
  let crashes = 0;
  const f = withFaults(fakeEngine(), faults({ crashAfterRequests: 3 }), { crash: () => crashes++ });
  await f.generateImages(image, never);
  await f.generateImages(image, never);
  assert.equal(crashes, 0);
  await f.generateImages(image, never);
  await new Promise((r) => setImmediate(r));
  assert.equal(crashes, 1);
  for (let i = 0; i < 5; i++) await f.generateText(text, never, () => {});
  await new Promise((r) => setImmediate(r));
  assert.equal(crashes, 1);
});

test('a spike burst hits exactly requests spikeFromRequest .. +spikeRequests-1, in start order', () => {
  const dice = new FaultDice(faults({ spikeFromRequest: 4, spikeRequests: 2, spikeMs: 500 }));
  assert.equal(dice.active, true);
  const spikes = Array.from({ length: 8 }, () => dice.next().spikeMs);
  assert.deepEqual(spikes, [0, 0, 0, 500, 500, 0, 0, 0]);
  assert.equal(
    new FaultDice(faults({ spikeFromRequest: 4, spikeRequests: 0 })).active,
    false,
    'an empty burst is no fault',
  );
});
