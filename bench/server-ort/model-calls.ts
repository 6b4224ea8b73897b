// Single model calls on a worker pool, timed inside the worker (runMs: the
// session.run time, without the message round trip): the denoiser at a given
// batch, one LLM decode step for B sequences, the text encoder, the VAE. Used to
// show per-item cost vs batch size and per-step latency per size preset.
import { modelSpec } from '../../lib/server/models/catalog.ts';
import { ensureModel } from '../../lib/server/models/cache.ts';
import type { BuildPrecision } from '../../lib/server/models/layers.ts';
import { presets, type SizePreset } from '../../lib/server/models/presets.ts';
import { WorkerPool } from '../../lib/server/onnx/pool.ts';
import type { WorkerInit } from '../../lib/server/onnx/protocol.ts';
import { BOS } from '../../lib/server/pipelines/tokenizer.ts';
import { median } from './record.ts';

export interface ModelCalls {
  /** one denoiser call for `images` images at sizePx (2 × images rows: CFG halves) */
  denoise(images: number, sizePx: number): Promise<number>;
  textEncoder(): Promise<number>;
  vae(sizePx: number): Promise<number>;
  /** one decode step for `sequences` sequences whose KV caches hold `pastTokens` tokens */
  decode(sequences: number, pastTokens: number): Promise<number>;
  close(): Promise<void>;
}

const f32 = (dims: number[]) => ({
  type: 'float32' as const,
  dims,
  data: new Float32Array(dims.reduce((a, b) => a * b, 1)).fill(0.1),
});

/** one worker with `threads` intra-op threads, both model families of a preset and precision */
export async function openModelCalls(preset: SizePreset, precision: BuildPrecision, threads = 1): Promise<ModelCalls> {
  const sessions = (['tiny-sd', 'tiny-llm'] as const).flatMap((f) =>
    ensureModel(modelSpec(f, precision, preset)).map((g) => ({ key: g.graph, path: g.path })),
  );
  const d = presets[preset].diffusion;
  const l = presets[preset].llm;
  const init: WorkerInit = {
    workerId: 0,
    provider: 'cpu',
    threads,
    sessions,
    llm: { decoder: { layers: l.layers, heads: l.heads, headDim: l.dModel / l.heads } },
  };
  const pool = new WorkerPool([init], { onCrash: () => {}, onReplaced: () => {} });
  await pool.ready();
  let seqId = 1;
  const runMs = async (p: ReturnType<WorkerPool['request']>) => (await p).runMs;
  return {
    denoise: (images, sizePx) => {
      const side = sizePx / 8;
      const rows = 2 * images;
      return runMs(
        pool.request(0, {
          kind: 'run',
          session: 'denoiser',
          feeds: {
            latent: f32([rows, d.latentChannels, side, side]),
            timestep: f32([rows]),
            context: f32([rows, d.textTokens, d.textDim]),
          },
          outputs: ['noise'],
        }),
      );
    },
    textEncoder: () =>
      runMs(
        pool.request(0, {
          kind: 'run',
          session: 'text_encoder',
          feeds: {
            input_ids: {
              type: 'int64',
              dims: [2, d.textTokens],
              data: new BigInt64Array(2 * d.textTokens).fill(BigInt(BOS)),
            },
          },
          outputs: ['context'],
        }),
      ),
    vae: (sizePx) =>
      runMs(
        pool.request(0, {
          kind: 'run',
          session: 'vae_decoder',
          feeds: { latent: f32([1, d.latentChannels, sizePx / 8, sizePx / 8]) },
          outputs: ['image'],
        }),
      ),
    async decode(sequences, pastTokens) {
      const ids = Array.from({ length: sequences }, () => seqId++);
      const prompt = Array.from({ length: pastTokens }, () => 65);
      await pool.request(0, {
        kind: 'llm-step',
        session: 'decoder',
        seqs: ids.map((id) => ({ seqId: id, tokens: prompt })),
      }); // prefill
      const ms = await runMs(
        pool.request(0, { kind: 'llm-step', session: 'decoder', seqs: ids.map((id) => ({ seqId: id, tokens: [66] })) }),
      );
      pool.post(0, { kind: 'llm-free', seqIds: ids });
      return ms;
    },
    close: () => pool.close(),
  };
}

/** median of repeated calls, after one warm-up call; at most `maxCalls` calls and about `budgetMs` */
export async function medianMs(call: () => Promise<number>, maxCalls = 30, budgetMs = 3000): Promise<number> {
  await call();
  const times: number[] = [];
  const endAt = performance.now() + budgetMs;
  while (times.length < maxCalls && (times.length < 3 || performance.now() < endAt)) times.push(await call());
  return median(times);
}
