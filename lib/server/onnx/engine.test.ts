// The onnx engine end to end with the 'test' preset (real workers, real ORT).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import sharp from 'sharp';
import { bundleWorkers } from '../../cli/bundle/bundle.ts';
import { defaults } from '../config/schema.ts';
import { withFaults } from '../engine/faults.ts';
import { EngineError, type ImageRequest, type TextRequest } from '../engine/types.ts';
import { createOnnxEngine, defaultPrecisions, type OnnxEngine, type OnnxEngineOptions } from './engine.ts';

/** fp16 vs fp32 image of the same seed (test preset, 64 px, 8 steps): measured 59.6 dB on x64 CPU, ORT 1.30 */
const PSNR_MIN_DB = 40;
const batches: { stage: string; batchSize: number }[] = [];
const crashes: number[] = [];
const base: OnnxEngineOptions = {
  provider: 'cpu',
  workers: 2,
  threadsPerWorker: 1,
  maxBatchSize: 8,
  maxQueueDelayMs: 5,
  preset: 'test',
  precisions: ['fp32'],
  observer: { onBatch: (b) => batches.push(b), onWorkerCrash: (c) => crashes.push(c.workerId) },
};
let engine: OnnxEngine;
const never = new AbortController().signal;
const image = (over: Partial<ImageRequest> = {}): ImageRequest => ({
  model: 'tiny-sd-fp32',
  prompt: 'a red fox',
  n: 1,
  widthPx: 64,
  heightPx: 64,
  steps: 4,
  guidanceScale: 7.5,
  seed: 1,
  ...over,
});
const text = (over: Partial<TextRequest> = {}): TextRequest => ({
  model: 'tiny-llm-fp32',
  prompt: 'Hello',
  maxTokens: 12,
  temperature: 0,
  topP: 1,
  seed: 1,
  stop: [],
  ...over,
});

before(async () => {
  await bundleWorkers();
  engine = createOnnxEngine(base);
  await engine.start();
});
after(() => engine.close(1000));

test('serves the models with the cpu provider', () => {
  assert.equal(engine.provider, 'cpu');
  assert.deepEqual(
    engine.models().map((m) => m.id),
    ['tiny-sd-fp32', 'tiny-llm-fp32'],
  );
});

test('an image request returns PNGs of the requested size with stage timings', async () => {
  const r = await engine.generateImages(image({ n: 2, widthPx: 32, heightPx: 32 }), never);
  assert.equal(r.images.length, 2);
  const meta = await sharp(r.images[0]!).metadata();
  assert.deepEqual([meta.format, meta.width, meta.height], ['png', 32, 32]);
  assert.notDeepEqual(r.images[0], r.images[1]); // seed + index gives each image its own noise
  for (const k of ['queueMs', 'encodeMs', 'denoiseMs', 'decodeMs', 'pngMs'] as const) assert.ok(r.timings[k] >= 0, k);
  assert.ok(r.timings.totalMs >= r.timings.denoiseMs);
  assert.ok(Math.abs(r.timings.stepMeanMs - r.timings.denoiseMs / 4) < 1e-9);
});

test('same seed, same image; two concurrent requests share denoiser calls', async () => {
  batches.length = 0;
  const [a, b, c] = await Promise.all([
    engine.generateImages(image(), never),
    engine.generateImages(image(), never),
    engine.generateImages(image(), never),
  ]);
  assert.deepEqual(a.images[0], b.images[0]);
  assert.deepEqual(a.images[0], c.images[0]);
  const denoise = batches.filter((x) => x.stage === 'denoise');
  assert.ok(Math.max(...denoise.map((x) => x.batchSize)) > 1, `batch sizes ${denoise.map((x) => x.batchSize)}`);
  assert.ok(a.timings.meanBatchSize > 1 || b.timings.meanBatchSize > 1 || c.timings.meanBatchSize > 1);
});

test('greedy text is deterministic; streamed pieces add up to the text', async () => {
  const pieces: string[] = [];
  const a = await engine.generateText(text(), never, (t) => pieces.push(t.text));
  const b = await engine.generateText(text(), never, () => {});
  assert.equal(a.text, b.text);
  assert.equal(pieces.join(''), a.text);
  assert.equal(a.completionTokens, 12);
  assert.equal(a.finishReason, 'length');
  assert.equal(a.promptTokens, 6); // BOS + 5 bytes
  assert.ok(a.timings.ttftMs > 0 && a.timings.prefillMs > 0);
});

test('seeded sampling reproduces; stop strings end generation before them', async () => {
  const req = text({ temperature: 1, topP: 0.9, seed: 42, maxTokens: 30 });
  const a = await engine.generateText(req, never, () => {});
  const b = await engine.generateText(req, never, () => {});
  assert.equal(a.text, b.text);
  const stopAt = a.text.slice(3, 5);
  const c = await engine.generateText({ ...req, stop: [stopAt] }, never, () => {});
  assert.equal(c.finishReason, 'stop');
  assert.equal(c.text, a.text.slice(0, a.text.indexOf(stopAt)));
});

test('concurrent sequences share decode steps (continuous batching)', async () => {
  batches.length = 0;
  await Promise.all([1, 2, 3, 4].map((seed) => engine.generateText(text({ seed, maxTokens: 20 }), never, () => {})));
  const decode = batches.filter((x) => x.stage === 'decode');
  assert.ok(Math.max(...decode.map((x) => x.batchSize)) > 1);
});

test('cancelling a generation stops it and frees its sequence', async () => {
  const ac = new AbortController();
  let tokens = 0;
  const p = engine.generateText(text({ maxTokens: 200 }), ac.signal, () => {
    if (++tokens === 3) ac.abort(new Error('client left'));
  });
  await assert.rejects(p, (e: unknown) => e instanceof EngineError && e.code === 'cancelled');
  assert.ok(tokens <= 4, `tokens after abort: ${tokens}`);
  const s = engine.stats();
  assert.equal(s.running['tiny-llm-fp32'], 0);
  assert.equal(s.waiting['tiny-llm-fp32'], 0);
});

test('cancelling an image request between steps rejects it', async () => {
  const ac = new AbortController();
  const p = engine.generateImages(image({ steps: 40 }), ac.signal);
  setTimeout(() => ac.abort(), 15);
  await assert.rejects(p, (e: unknown) => e instanceof EngineError && e.code === 'cancelled');
  assert.equal(engine.stats().running['tiny-sd-fp32'], 0);
});

test('bad requests are invalid_request', async () => {
  const invalid = (e: unknown) => e instanceof EngineError && e.code === 'invalid_request';
  assert.throws(() => engine.generateImages(image({ model: 'nope' }), never), invalid);
  await assert.rejects(engine.generateImages(image({ widthPx: 48, heightPx: 48 }), never), invalid);
  assert.throws(() => engine.generateText(text({ maxTokens: 10_000 }), never, () => {}), invalid);
});

test('faults.stallProbability: a stalled request counts as running and holds a worker until it is aborted', async () => {
  const f = withFaults(
    engine,
    { ...defaults.faults, stallProbability: 1 },
    { crash: () => {}, hold: (signal) => engine.holdWorker(signal) },
  );
  const llm = 'tiny-llm-fp32';
  const aborts = [new AbortController(), new AbortController()];
  const stalled = aborts.map((ac, i) => f.generateText(text({ seed: i + 1, maxTokens: 4 }), ac.signal, () => {}));
  for (const p of stalled) p.catch(() => {});
  try {
    // both finish their engine work, then stall: running for anyone asking, each holding one of the 2 workers
    const stalledNow = () => (f.stats().running[llm] ?? 0) - (engine.stats().running[llm] ?? 0);
    for (let i = 0; i < 500 && stalledNow() < 2; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(engine.stats().running[llm] ?? 0, 0);
    assert.equal(f.stats().running[llm], 2);
    let done = false;
    const queued = engine.generateImages(image(), never).then(() => (done = true));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(done, false, 'an image request ran while both workers were held');
    assert.equal(engine.stats().waiting['tiny-sd-fp32'], 1);

    aborts[0]!.abort(new EngineError('deadline_exceeded', 'deadline'));
    await assert.rejects(stalled[0]!, (e) => e instanceof EngineError && e.code === 'deadline_exceeded');
    assert.equal(f.stats().running[llm], 1);
    await queued; // the released worker serves it
    aborts[1]!.abort(new EngineError('cancelled', 'client left'));
    await assert.rejects(stalled[1]!, (e) => e instanceof EngineError && e.code === 'cancelled');
    assert.equal(f.stats().running[llm] ?? 0, 0);
    await engine.generateImages(image(), never); // both workers free again
  } finally {
    for (const ac of aborts) ac.abort(new EngineError('cancelled', 'test over'));
  }
});

test('a crashed worker fails its requests, is reported and replaced', async () => {
  crashes.length = 0;
  const running = Promise.allSettled(
    [0, 1, 2, 3].map((seed) => engine.generateText(text({ seed, maxTokens: 100 }), never, () => {})),
  );
  await new Promise((r) => setTimeout(r, 30));
  engine.crashWorker(0);
  const results = await running;
  const failed = results.filter((r) => r.status === 'rejected');
  assert.ok(failed.length > 0);
  for (const f of failed) assert.equal(((f as PromiseRejectedResult).reason as EngineError).code, 'worker_crashed');
  assert.deepEqual(crashes, [0]);
  // the replacement loads its sessions; afterwards both workers serve again
  for (let i = 0; i < 100 && engine.stats().workerBusyMs.length > 0; i++) {
    const r = await Promise.allSettled([
      engine.generateText(text(), never, () => {}),
      engine.generateText(text(), never, () => {}),
    ]);
    if (r.every((x) => x.status === 'fulfilled')) return;
    await new Promise((res) => setTimeout(res, 100));
  }
  assert.fail('the pool did not recover');
});

test('an unloadable provider falls back to cpu, explicitly', async () => {
  const e = createOnnxEngine({ ...base, provider: 'cuda', workers: 1, families: ['tiny-llm'] });
  try {
    await e.start();
    assert.equal(e.provider, 'cpu');
    assert.match(e.fallbackReason ?? '', /provider cuda could not load, using cpu/);
    const r = await e.generateText(text({ maxTokens: 3 }), never, () => {});
    assert.equal(r.completionTokens, 3);
  } finally {
    await e.close(1000);
  }
});

test('default precisions: fp32 and int8 on cpu, fp16 too on a gpu provider', () => {
  assert.deepEqual(defaultPrecisions('cpu'), ['fp32', 'int8']);
  assert.deepEqual(defaultPrecisions('cuda'), ['fp32', 'int8', 'fp16']);
  assert.deepEqual(defaultPrecisions('webgpu'), ['fp32', 'int8', 'fp16']);
});

test('a gpu provider falling back to cpu drops fp16 from the default precisions, and says so', async () => {
  const e = createOnnxEngine({ ...base, precisions: undefined, provider: 'cuda', workers: 1, families: ['tiny-llm'] });
  try {
    assert.deepEqual(
      e.models().map((m) => m.id),
      ['tiny-llm-fp32', 'tiny-llm-int8', 'tiny-llm-fp16'],
    );
    await e.start();
    assert.equal(e.provider, 'cpu');
    assert.match(
      e.fallbackReason ?? '',
      /provider cuda could not load, using cpu; reason: .*; fp16 dropped from the default precisions$/,
    );
    assert.deepEqual(
      e.models().map((m) => m.id),
      ['tiny-llm-fp32', 'tiny-llm-int8'],
    );
    assert.throws(
      () => e.generateText(text({ model: 'tiny-llm-fp16' }), never, () => {}),
      (err: unknown) => err instanceof EngineError && err.code === 'invalid_request',
    );
  } finally {
    await e.close(1000);
  }
});

/** peak signal-to-noise ratio of two 8-bit images, in dB */
function psnrDb(a: Buffer, b: Buffer): number {
  assert.equal(a.length, b.length);
  let se = 0;
  for (let i = 0; i < a.length; i++) se += (a[i]! - b[i]!) ** 2;
  return 10 * Math.log10((255 * 255) / (se / a.length));
}

test('fp16 on the cpu provider: images close to fp32 of the same seed, greedy text runs', async () => {
  const e = createOnnxEngine({ ...base, workers: 1, precisions: ['fp32', 'fp16'] });
  try {
    await e.start();
    assert.equal(e.fallbackReason, undefined);
    assert.deepEqual(
      e.models().map((m) => [m.id, m.precision]),
      [
        ['tiny-sd-fp32', 'fp32'],
        ['tiny-sd-fp16', 'fp16'],
        ['tiny-llm-fp32', 'fp32'],
        ['tiny-llm-fp16', 'fp16'],
      ],
    );
    const pixels = async (model: string) => {
      const r = await e.generateImages(image({ model, steps: 8 }), never);
      return sharp(r.images[0]!).raw().toBuffer({ resolveWithObject: true });
    };
    const full = await pixels('tiny-sd-fp32');
    const half = await pixels('tiny-sd-fp16');
    assert.equal(half.info.width, 64);
    assert.equal(half.info.height, 64);
    const psnr = psnrDb(full.data, half.data);
    console.log(`# fp16 vs fp32 image, same seed: PSNR ${psnr.toFixed(1)} dB`);
    assert.ok(psnr > PSNR_MIN_DB && Number.isFinite(psnr), `psnr ${psnr} dB`);
    const t = await e.generateText(text({ model: 'tiny-llm-fp16', maxTokens: 16 }), never, () => {});
    assert.equal(t.completionTokens, 16);
    assert.equal((await e.generateText(text({ model: 'tiny-llm-fp16', maxTokens: 16 }), never, () => {})).text, t.text);
    const ref = await e.generateText(text({ maxTokens: 16 }), never, () => {});
    console.log(`# greedy text fp32 ${JSON.stringify(ref.text)} fp16 ${JSON.stringify(t.text)}`);
  } finally {
    await e.close(1000);
  }
});

test(
  'workerNice lowers the priority of the worker threads only',
  { skip: !existsSync('/proc/self/task') },
  async () => {
    const niceOfThreads = () =>
      readdirSync('/proc/self/task').map((tid) => {
        const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]); // field 19: nice
      });
    const e = createOnnxEngine({ ...base, workers: 1, families: ['tiny-llm'], workerNice: 7 });
    try {
      await e.start();
      const nices = niceOfThreads();
      assert.ok(nices.includes(7), `nice values ${nices}`);
      assert.equal(nices.filter((n) => n === 0).length > 0, true); // the main thread keeps its priority
    } finally {
      await e.close(1000);
    }
  },
);
