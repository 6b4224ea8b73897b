// One image request through the diffusion pipeline:
//   text encoder (cond + uncond prompts in one call) -> seeded Gaussian latents
//   -> for each DDIM timestep: one denoiser step, batched with other requests of
//      the same model and size (cond and uncond halves in the same call), then
//      classifier-free guidance and the DDIM update in TypeScript
//   -> VAE decoder -> PNG.
// The AbortSignal is honoured between model calls.
import { EngineError, type ImageRequest, type ImageResult } from '../engine/types.ts';
import type { DiffusionSize } from '../models/presets.ts';
import { cfgCombine, ddimStep, ddimTimesteps } from '../pipelines/ddim.ts';
import { Random } from '../pipelines/random.ts';
import { encodeFixed } from '../pipelines/tokenizer.ts';
import type { BatchItem, BatchQueue } from './batch-queue.ts';
import { abortError, bump, nowMs, submit, throwIfAborted, type Runtime } from './runtime.ts';

export interface DenoiseItem extends BatchItem {
  readonly model: string;
  readonly latentDims: readonly [number, number, number];
  /** n images × latent */
  readonly latents: Float32Array;
  readonly timestep: number;
  /** [cond context, uncond context], each textTokens × textDim */
  readonly context: Float32Array;
  done(cond: Float32Array, uncond: Float32Array, batchImages: number): void;
  fail(err: Error): void;
}

/** concatenates the items of a batch into one denoiser call: [cond of every image..., uncond of every image...] */
export async function runDenoiseBatch(
  rt: Runtime,
  workerId: number,
  items: DenoiseItem[],
  s: DiffusionSize,
  release: () => void = () => {},
): Promise<void> {
  const [C, h, w] = items[0]!.latentDims;
  const plane = C * h * w;
  const ctxSize = s.textTokens * s.textDim;
  const images = items.reduce((n, it) => n + it.size, 0);
  const latent = new Float32Array(2 * images * plane);
  const timestep = new Float32Array(2 * images);
  const context = new Float32Array(2 * images * ctxSize);
  let i = 0;
  for (const it of items) {
    for (let k = 0; k < it.size; k++, i++) {
      for (const half of [0, 1]) {
        const row = half * images + i;
        latent.set(it.latents.subarray(k * plane, (k + 1) * plane), row * plane);
        timestep[row] = it.timestep;
        context.set(it.context.subarray(half * ctxSize, (half + 1) * ctxSize), row * ctxSize);
      }
    }
  }
  const model = items[0]!.model;
  try {
    const reply = await rt.pool.request(workerId, {
      kind: 'run',
      session: `${model}/denoiser`,
      feeds: {
        latent: { type: 'float32', dims: [2 * images, C, h, w], data: latent },
        timestep: { type: 'float32', dims: [2 * images], data: timestep },
        context: { type: 'float32', dims: [2 * images, s.textTokens, s.textDim], data: context },
      },
      outputs: ['noise'],
    });
    release(); // before the items' requests queue their next step, so they may batch together again
    rt.observer.onBatch?.({ model, stage: 'denoise', batchSize: images, durationMs: reply.runMs, workerId });
    const noise = reply.outputs.noise!.data as Float32Array;
    let j = 0;
    for (const it of items) {
      it.done(
        noise.subarray(j * plane, (j + it.size) * plane),
        noise.subarray((images + j) * plane, (images + j + it.size) * plane),
        images,
      );
      j += it.size;
    }
  } catch (err) {
    release();
    for (const it of items) it.fail(err as Error);
  }
}

/** one denoiser step of a request through the batch queue; cancellation removes a queued item */
function denoiseStep(
  rt: Runtime,
  queue: BatchQueue<DenoiseItem>,
  base: Omit<DenoiseItem, 'done' | 'fail' | 'enqueuedMs'>,
  signal: AbortSignal,
): Promise<{ cond: Float32Array; uncond: Float32Array; batchImages: number }> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      if (queue.remove(item)) reject(abortError(signal));
    };
    const item: DenoiseItem = {
      ...base,
      enqueuedMs: nowMs(),
      done: (cond, uncond, batchImages) => {
        signal.removeEventListener('abort', onAbort);
        resolve({ cond, uncond, batchImages });
      },
      fail: (err) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    };
    signal.addEventListener('abort', onAbort, { once: true });
    queue.push(item);
    rt.dispatcher.pumpSoon();
  });
}

export async function generateImages(
  rt: Runtime,
  queue: BatchQueue<DenoiseItem>,
  s: DiffusionSize,
  req: ImageRequest,
  signal: AbortSignal,
): Promise<ImageResult> {
  const t0 = nowMs();
  if (req.widthPx !== req.heightPx || !s.imageSizes.includes(req.widthPx)) {
    throw new EngineError(
      'invalid_request',
      `size: must be one of ${s.imageSizes.map((p) => `${p}x${p}`).join(', ')}, but is ${req.widthPx}x${req.heightPx}`,
    );
  }
  if (req.steps < 1 || req.steps > s.maxSteps)
    throw new EngineError('invalid_request', `steps: must be 1..${s.maxSteps}, but is ${req.steps}`);
  const h = req.heightPx / 8;
  const w = req.widthPx / 8;
  const C = s.latentChannels;
  const plane = C * h * w;
  const key = `${req.model}|${h}x${w}`;
  bump(rt.waiting, req.model, 1);
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    bump(rt.waiting, req.model, -1);
    bump(rt.running, req.model, 1);
  };
  // counted as able to join a denoiser batch until its last step: a request past it (VAE, PNG) never will
  const active = rt.activeByKey;
  let denoising = true;
  const leaveBatching = () => {
    if (denoising) bump(active, key, -1);
    denoising = false;
  };
  bump(active, key, 1);
  try {
    throwIfAborted(signal);
    const ids = new BigInt64Array(2 * s.textTokens);
    ids.set(encodeFixed(req.prompt, s.textTokens), 0);
    ids.set(encodeFixed(req.negativePrompt ?? '', s.textTokens), s.textTokens);
    let queueMs = 0;
    const enc = await submit(rt, async (workerId) => {
      throwIfAborted(signal);
      queueMs = nowMs() - t0;
      start();
      const r = await rt.pool.request(workerId, {
        kind: 'run',
        session: `${req.model}/text_encoder`,
        feeds: { input_ids: { type: 'int64', dims: [2, s.textTokens], data: ids } },
        outputs: ['context'],
      });
      rt.observer.onBatch?.({ model: req.model, stage: 'encode', batchSize: 1, durationMs: r.runMs, workerId });
      return r;
    });
    const encodeMs = nowMs() - t0 - queueMs;
    const context = enc.outputs.context!.data as Float32Array;

    const latents = new Float32Array(req.n * plane);
    for (let k = 0; k < req.n; k++) latents.set(new Random((req.seed + k) >>> 0).gaussianArray(plane), k * plane);
    const eps = new Float32Array(plane);
    const denoiseStart = nowMs();
    let batchSum = 0;
    for (const t of ddimTimesteps(req.steps)) {
      throwIfAborted(signal);
      const r = await denoiseStep(
        rt,
        queue,
        { key, size: req.n, model: req.model, latentDims: [C, h, w], latents, timestep: t, context },
        signal,
      );
      batchSum += r.batchImages;
      for (let k = 0; k < req.n; k++) {
        cfgCombine(
          r.cond.subarray(k * plane, (k + 1) * plane),
          r.uncond.subarray(k * plane, (k + 1) * plane),
          req.guidanceScale,
          eps,
        );
        ddimStep(latents.subarray(k * plane, (k + 1) * plane), eps, t, req.steps);
      }
    }
    const denoiseMs = nowMs() - denoiseStart;
    leaveBatching();

    throwIfAborted(signal);
    const decodeStart = nowMs();
    // the VAE and the PNG encoding in one worker call: the pixels never reach this (HTTP) thread
    const decoded = await submit(rt, async (workerId) => {
      throwIfAborted(signal);
      const r = await rt.pool.request(workerId, {
        kind: 'run',
        session: `${req.model}/vae_decoder`,
        feeds: { latent: { type: 'float32', dims: [req.n, C, h, w], data: latents } },
        outputs: [],
        png: { output: 'image', heightPx: req.heightPx, widthPx: req.widthPx },
      });
      rt.observer.onBatch?.({ model: req.model, stage: 'vae', batchSize: req.n, durationMs: r.runMs, workerId });
      return r;
    });
    const end = nowMs();
    const pngs = decoded.pngs!;
    return {
      images: pngs.images,
      timings: {
        queueMs,
        encodeMs,
        denoiseMs,
        stepMeanMs: denoiseMs / req.steps,
        decodeMs: end - decodeStart - pngs.pngMs,
        pngMs: pngs.pngMs,
        totalMs: end - t0,
        meanBatchSize: batchSum / req.steps,
      },
    };
  } finally {
    leaveBatching();
    if (started) bump(rt.running, req.model, -1);
    else bump(rt.waiting, req.model, -1);
  }
}
