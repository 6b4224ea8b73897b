// Warm-up before the engine reports ready: every worker runs every session once
// (ORT allocates and plans on the first run, which is several times slower).
import type { ModelCard } from '../engine/types.ts';
import type { PresetSizes } from '../models/presets.ts';
import { BOS } from '../pipelines/tokenizer.ts';
import type { Runtime } from './runtime.ts';

let warmSeqId = -1;

export async function warmUp(rt: Runtime, cards: readonly ModelCard[], sizes: PresetSizes): Promise<void> {
  const d = sizes.diffusion;
  const side = Math.min(...d.imageSizes) / 8;
  const work = Array.from({ length: rt.pool.size }, async (_, w) => {
    for (const card of cards) {
      if (card.kind === 'llm') {
        const seqId = warmSeqId--;
        await rt.pool.request(w, {
          kind: 'llm-step',
          session: `${card.id}/decoder`,
          seqs: [{ seqId, tokens: [BOS, 104, 105] }],
        });
        await rt.pool.request(w, { kind: 'llm-step', session: `${card.id}/decoder`, seqs: [{ seqId, tokens: [33] }] });
        rt.pool.post(w, { kind: 'llm-free', seqIds: [seqId] });
        continue;
      }
      const ids = new BigInt64Array(2 * d.textTokens).fill(BigInt(BOS));
      await rt.pool.request(w, {
        kind: 'run',
        session: `${card.id}/text_encoder`,
        feeds: { input_ids: { type: 'int64', dims: [2, d.textTokens], data: ids } },
        outputs: ['context'],
      });
      const latent = {
        type: 'float32' as const,
        dims: [2, d.latentChannels, side, side],
        data: new Float32Array(2 * d.latentChannels * side * side),
      };
      await rt.pool.request(w, {
        kind: 'run',
        session: `${card.id}/denoiser`,
        feeds: {
          latent,
          timestep: { type: 'float32', dims: [2], data: new Float32Array(2) },
          context: {
            type: 'float32',
            dims: [2, d.textTokens, d.textDim],
            data: new Float32Array(2 * d.textTokens * d.textDim),
          },
        },
        outputs: ['noise'],
      });
      const one = {
        type: 'float32' as const,
        dims: [1, d.latentChannels, side, side],
        data: new Float32Array(d.latentChannels * side * side),
      };
      await rt.pool.request(w, {
        kind: 'run',
        session: `${card.id}/vae_decoder`,
        feeds: { latent: one },
        outputs: ['image'],
      });
    }
  });
  await Promise.all(work);
}
