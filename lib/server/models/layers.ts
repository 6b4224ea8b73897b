// Building blocks shared by the model graphs. Weights come from one seeded
// stream in call order, so a model's bytes depend only on its config and seed.
// Precision 'int8' replaces MatMul by com.microsoft DynamicQuantizeMatMul and
// Conv by DynamicQuantizeLinear + ConvInteger (activations quantised per call,
// weights per output channel at build time): ONNX Runtime's dynamic quantisation.
import type { Random } from '../pipelines/random.ts';
import { Graph, MS_DOMAIN } from './graph.ts';
import { quantizeConvWeight, quantizeMatMulWeight } from './quantize.ts';

export type BuildPrecision = 'fp32' | 'int8';

export interface Ctx {
  readonly g: Graph;
  readonly rng: Random;
  readonly precision: BuildPrecision;
}

/** x[..., inDim] · W[inDim, outDim] + b; W ~ N(0, 1/inDim) */
export function linear(
  c: Ctx,
  x: string,
  inDim: number,
  outDim: number,
  opts: { bias?: Float32Array; gain?: number } = {},
): string {
  const w = c.rng.gaussianArray(inDim * outDim, (opts.gain ?? 1) / Math.sqrt(inDim));
  const bias = c.g.constant('b', opts.bias ?? new Float32Array(outDim), [outDim]);
  if (c.precision === 'fp32') {
    return c.g.op('Add', [c.g.op('MatMul', [x, c.g.constant('w', w, [inDim, outDim])]), bias]);
  }
  const { q, scale } = quantizeMatMulWeight(w, outDim);
  const wq = c.g.constant('wq', q, [inDim, outDim]);
  const zp = c.g.constant('wzp', new Int8Array(outDim), [outDim]);
  return c.g.op(
    'DynamicQuantizeMatMul',
    [x, wq, c.g.constant('ws', scale, [outDim]), zp, bias],
    {},
    undefined,
    MS_DOMAIN,
  );
}

/** 2-D convolution, square kernel, 'same' padding for stride 1 */
export function conv(c: Ctx, x: string, cin: number, cout: number, kernel: number, stride = 1): string {
  const w = c.rng.gaussianArray(cout * cin * kernel * kernel, 1 / Math.sqrt(cin * kernel * kernel));
  const pad = Math.floor(kernel / 2);
  const attrs = { kernel_shape: [kernel, kernel], pads: [pad, pad, pad, pad], strides: [stride, stride] };
  if (c.precision === 'fp32') {
    return c.g.op(
      'Conv',
      [x, c.g.constant('w', w, [cout, cin, kernel, kernel]), c.g.constant('b', new Float32Array(cout), [cout])],
      attrs,
    );
  }
  const { q, scale } = quantizeConvWeight(w, cout);
  const [xq, xScale, xZero] = c.g.opMulti('DynamicQuantizeLinear', [x], 3);
  // ORT's ConvInteger takes uint8 weights: store q + 128 with zero point 128
  const wu8 = Uint8Array.from(q, (v) => v + 128);
  const wq = c.g.constant('wq', wu8, [cout, cin, kernel, kernel]);
  const acc = c.g.op('ConvInteger', [xq!, wq, xZero!, c.g.constant('wzp', Uint8Array.of(128), [])], attrs);
  const s = c.g.op('Mul', [c.g.constant('ws', scale, [1, cout, 1, 1]), xScale!]);
  return c.g.op('Mul', [c.g.op('Cast', [acc], { to: 1 }), s]);
}

export function layerNorm(c: Ctx, x: string, dim: number): string {
  const scale = c.g.constant('ln_s', new Float32Array(dim).fill(1), [dim]);
  const bias = c.g.constant('ln_b', new Float32Array(dim), [dim]);
  return c.g.op('LayerNormalization', [x, scale, bias], { axis: -1, epsilon: { float: 1e-5 } });
}

/** per-channel normalisation of a feature map [B, C, H, W] (stands in for GroupNorm) */
export function instanceNorm(c: Ctx, x: string, channels: number): string {
  const scale = c.g.constant('in_s', new Float32Array(channels).fill(1), [channels]);
  const bias = c.g.constant('in_b', new Float32Array(channels), [channels]);
  return c.g.op('InstanceNormalization', [x, scale, bias], { epsilon: { float: 1e-5 } });
}

export function silu(c: Ctx, x: string): string {
  return c.g.op('Mul', [x, c.g.op('Sigmoid', [x])]);
}

/** position-wise MLP with a 4× hidden layer and SiLU */
export function mlp(c: Ctx, x: string, dim: number): string {
  return linear(c, silu(c, linear(c, x, dim, 4 * dim)), 4 * dim, dim);
}

/** [B, S, heads·dh] -> [B, heads, S, dh] */
export function splitHeads(c: Ctx, x: string, heads: number, headDim: number): string {
  const r = c.g.op('Reshape', [x, c.g.ints('shape', [0, 0, heads, headDim])]);
  return c.g.op('Transpose', [r], { perm: [0, 2, 1, 3] });
}

/** [B, heads, S, dh] -> [B, S, heads·dh] */
export function mergeHeads(c: Ctx, x: string, heads: number, headDim: number): string {
  const t = c.g.op('Transpose', [x], { perm: [0, 2, 1, 3] });
  return c.g.op('Reshape', [t, c.g.ints('shape', [0, 0, heads * headDim])]);
}

/** softmax(q·kᵀ/√dh + bias)·v over [B, H, S, dh] tensors */
export function scaledDotProduct(c: Ctx, q: string, k: string, v: string, headDim: number, bias?: string): string {
  const kt = c.g.op('Transpose', [k], { perm: [0, 1, 3, 2] });
  let scores = c.g.op('Mul', [c.g.op('MatMul', [q, kt]), c.g.scalar('scale', 1 / Math.sqrt(headDim))]);
  if (bias) scores = c.g.op('Add', [scores, bias]);
  return c.g.op('MatMul', [c.g.op('Softmax', [scores], { axis: -1 }), v]);
}

/** multi-head attention of x [B, S, dim] over kv [B, T, kvDim] (cross) or x itself (self) */
export function attention(c: Ctx, x: string, dim: number, heads: number, kv?: { value: string; dim: number }): string {
  const headDim = dim / heads;
  const src = kv ?? { value: x, dim };
  const q = splitHeads(c, linear(c, x, dim, dim), heads, headDim);
  const k = splitHeads(c, linear(c, src.value, src.dim, dim), heads, headDim);
  const v = splitHeads(c, linear(c, src.value, src.dim, dim), heads, headDim);
  return linear(c, mergeHeads(c, scaledDotProduct(c, q, k, v, headDim), heads, headDim), dim, dim);
}
