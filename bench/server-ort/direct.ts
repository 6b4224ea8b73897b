// The baseline: the same worker configuration (workers × threads, same model
// files, same worker script) driven directly, one whole request after another
// per worker, with no scheduler, batching, sampling or PNG. The engine's
// throughput divided by this is the engine's efficiency; the lead divides the
// HTTP figure by it for the "≥ 0.9 of direct" goal.
import { modelSpec } from '../../lib/server/models/catalog.ts';
import { ensureModel } from '../../lib/server/models/cache.ts';
import type { BuildPrecision } from '../../lib/server/models/layers.ts';
import { presets, type SizePreset } from '../../lib/server/models/presets.ts';
import { WorkerPool } from '../../lib/server/onnx/pool.ts';
import type { WorkerInit } from '../../lib/server/onnx/protocol.ts';
import { BOS } from '../../lib/server/pipelines/tokenizer.ts';

export interface DirectOptions {
  readonly kind: 'image' | 'text';
  readonly preset: SizePreset;
  readonly precision: BuildPrecision;
  readonly workers: number;
  readonly threads: number;
  readonly seconds: number;
  readonly steps: number;
  readonly sizePx: number;
  readonly maxTokens: number;
}

/** images/s or tokens/s of the direct loop */
export async function directThroughput(o: DirectOptions): Promise<number> {
  const spec = modelSpec(o.kind === 'image' ? 'tiny-sd' : 'tiny-llm', o.precision, o.preset);
  const sessions = ensureModel(spec).map((g) => ({ key: g.graph, path: g.path }));
  const l = presets[o.preset].llm;
  const d = presets[o.preset].diffusion;
  const inits: WorkerInit[] = Array.from({ length: o.workers }, (_, workerId) => ({
    workerId, provider: 'cpu', threads: o.threads, sessions, llm: { decoder: { layers: l.layers, heads: l.heads, headDim: l.dModel / l.heads } },
  }));
  const pool = new WorkerPool(inits, { onCrash: () => {}, onReplaced: () => {} });
  await pool.ready();
  const side = o.sizePx / 8;
  const f32 = (dims: number[]) => ({ type: 'float32' as const, dims, data: new Float32Array(dims.reduce((a, b) => a * b, 1)).fill(0.1) });
  let seqId = 1;
  const oneRequest = async (w: number): Promise<number> => {
    if (o.kind === 'image') {
      await pool.request(w, { kind: 'run', session: 'text_encoder', feeds: { input_ids: { type: 'int64', dims: [2, d.textTokens], data: new BigInt64Array(2 * d.textTokens).fill(BigInt(BOS)) } }, outputs: ['context'] });
      for (let s = 0; s < o.steps; s++) {
        await pool.request(w, { kind: 'run', session: 'denoiser', feeds: { latent: f32([2, d.latentChannels, side, side]), timestep: f32([2]), context: f32([2, d.textTokens, d.textDim]) }, outputs: ['noise'] });
      }
      await pool.request(w, { kind: 'run', session: 'vae_decoder', feeds: { latent: f32([1, d.latentChannels, side, side]) }, outputs: ['image'] });
      return 1;
    }
    const id = seqId++;
    await pool.request(w, { kind: 'llm-step', session: 'decoder', seqs: [{ seqId: id, tokens: [BOS, ...Array.from('Once upon a time', (c) => c.charCodeAt(0))] }] });
    for (let t = 1; t < o.maxTokens; t++) await pool.request(w, { kind: 'llm-step', session: 'decoder', seqs: [{ seqId: id, tokens: [65] }] });
    pool.post(w, { kind: 'llm-free', seqIds: [id] });
    return o.maxTokens;
  };
  await Promise.all(Array.from({ length: o.workers }, (_, w) => oneRequest(w))); // warm-up
  const endAt = performance.now() + o.seconds * 1000;
  let units = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: o.workers }, async (_, w) => {
    while (performance.now() < endAt) units += await oneRequest(w);
  }));
  const perSecond = units / ((performance.now() - started) / 1000);
  await pool.close();
  return perSecond;
}
