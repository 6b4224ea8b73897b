// Decoder-only transformer with a KV cache in the graph (one graph serves both
// prefill, S = prompt tokens, and decode, S = 1).
//   inputs:  input_ids [B, S] int64, position_ids [B, S] int64,
//            attn_bias [B, 1, S, P+S] float (0 = attend, -1e9 = masked: causal
//            order and padding of shorter sequences in a batch, built by the caller),
//            past_key_<l>, past_value_<l> [B, heads, P, headDim] per layer
//   outputs: logits [B, 1, vocab] of the LAST position only (all the sampler needs),
//            present_key_<l>, present_value_<l> [B, heads, P+S, headDim]
import { EOS, VOCAB_SIZE } from '../pipelines/tokenizer.ts';
import { layerNorm, linear, mergeHeads, mlp, scaledDotProduct, splitHeads, type Ctx } from './layers.ts';
import type { LlmSize } from './presets.ts';

/**
 * Output bias of the untrained model: printable ASCII a little more likely (so
 * sampled text reads as text) and EOS rare (so lengths follow max_tokens and
 * stop strings, like a benchmark run with ignore_eos).
 */
function headBias(): Float32Array {
  const bias = new Float32Array(VOCAB_SIZE);
  for (let b = 32; b < 127; b++) bias[b] = 8;
  bias[EOS] = -6;
  return bias;
}

export function buildLlm(c: Ctx, s: LlmSize): void {
  const { g, rng } = c;
  const D = s.dModel;
  const headDim = D / s.heads;
  const ids = g.input('input_ids', 'int64', ['batch', 'seq']);
  const positions = g.input('position_ids', 'int64', ['batch', 'seq']);
  const bias = g.input('attn_bias', 'float32', ['batch', 1, 'seq', 'total']);
  const tokTable = g.constant('tok_emb', rng.gaussianArray(VOCAB_SIZE * D, 0.5), [VOCAB_SIZE, D]);
  const posTable = g.constant('pos_emb', rng.gaussianArray(s.contextTokens * D, 0.1), [s.contextTokens, D]);
  let x = g.op('Add', [
    g.op('Gather', [tokTable, ids], { axis: 0 }),
    g.op('Gather', [posTable, positions], { axis: 0 }),
  ]);

  for (let l = 0; l < s.layers; l++) {
    const pastK = g.input(`past_key_${l}`, 'float32', ['batch', s.heads, 'past', headDim]);
    const pastV = g.input(`past_value_${l}`, 'float32', ['batch', s.heads, 'past', headDim]);
    const n = layerNorm(c, x, D);
    const q = splitHeads(c, linear(c, n, D, D), s.heads, headDim);
    const k = g.op('Concat', [pastK, splitHeads(c, linear(c, n, D, D), s.heads, headDim)], { axis: 2 });
    const v = g.op('Concat', [pastV, splitHeads(c, linear(c, n, D, D), s.heads, headDim)], { axis: 2 });
    g.output(k, `present_key_${l}`, 'float32', ['batch', s.heads, 'total', headDim]);
    g.output(v, `present_value_${l}`, 'float32', ['batch', s.heads, 'total', headDim]);
    const attended = mergeHeads(c, scaledDotProduct(c, q, k, v, headDim, bias), s.heads, headDim);
    x = g.op('Add', [x, linear(c, attended, D, D)]);
    x = g.op('Add', [x, mlp(c, layerNorm(c, x, D), D)]);
  }
  const last = g.op('Slice', [x, g.ints('starts', [-1]), g.ints('ends', [2 ** 53 - 1]), g.ints('axes', [1])]);
  const logits = linear(c, layerNorm(c, last, D), D, VOCAB_SIZE, { bias: headBias(), gain: 4 });
  g.output(logits, 'logits', 'float32', ['batch', 1, VOCAB_SIZE]);
}
