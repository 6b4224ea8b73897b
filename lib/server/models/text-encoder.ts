// Text encoder: byte tokens [B, T] (int64) -> context [B, T, textDim].
// Token embedding + learned positions, then pre-norm transformer layers
// (self-attention without mask + MLP), then a final LayerNorm.
import { VOCAB_SIZE } from '../pipelines/tokenizer.ts';
import { attention, layerNorm, mlp, type Ctx } from './layers.ts';
import type { DiffusionSize } from './presets.ts';

export function buildTextEncoder(c: Ctx, s: DiffusionSize): void {
  const { g, rng } = c;
  const ids = g.input('input_ids', 'int64', ['batch', s.textTokens]);
  const table = g.constant('tok_emb', rng.gaussianArray(VOCAB_SIZE * s.textDim, 0.5), [VOCAB_SIZE, s.textDim]);
  const positions = g.constant('pos_emb', rng.gaussianArray(s.textTokens * s.textDim, 0.1), [s.textTokens, s.textDim]);
  let x = g.op('Add', [g.op('Gather', [table, ids], { axis: 0 }), positions]);
  for (let layer = 0; layer < s.textLayers; layer++) {
    x = g.op('Add', [x, attention(c, layerNorm(c, x, s.textDim), s.textDim, s.textHeads)]);
    x = g.op('Add', [x, mlp(c, layerNorm(c, x, s.textDim), s.textDim)]);
  }
  g.output(layerNorm(c, x, s.textDim), 'context', 'float32', ['batch', s.textTokens, s.textDim]);
}
