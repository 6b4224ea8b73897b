// UNet-like denoiser: predicts the noise ε in a latent.
//   inputs:  latent [B, latentChannels, h, w], timestep [B] (float), context [B, T, textDim]
//   output:  noise  [B, latentChannels, h, w]
// Sinusoidal timestep embedding -> MLP; residual conv blocks that add the time
// embedding; one downsample (stride-2 conv) where cross-attention to the text
// context runs; nearest upsample + skip connection; output conv.
// h and w must be even. Classifier-free guidance batches cond + uncond along B.
import { attention, conv, instanceNorm, layerNorm, linear, silu, type Ctx } from './layers.ts';
import type { DiffusionSize } from './presets.ts';

function timeEmbedding(c: Ctx, t: string, dim: number): string {
  const half = dim / 2;
  const freqs = Float32Array.from({ length: half }, (_, i) => Math.exp((-Math.log(10000) * i) / half));
  const angles = c.g.op('Mul', [
    c.g.op('Unsqueeze', [t, c.g.ints('axes', [1])]),
    c.g.constant('freqs', freqs, [1, half]),
  ]);
  const sinusoid = c.g.op('Concat', [c.g.op('Sin', [angles]), c.g.op('Cos', [angles])], { axis: 1 });
  return linear(c, silu(c, linear(c, sinusoid, dim, dim)), dim, dim);
}

function resBlock(c: Ctx, x: string, channels: number, temb: string, timeDim: number): string {
  let h = conv(c, silu(c, instanceNorm(c, x, channels)), channels, channels, 3);
  const t = linear(c, silu(c, temb), timeDim, channels);
  h = c.g.op('Add', [h, c.g.op('Unsqueeze', [t, c.g.ints('axes', [2, 3])])]);
  h = conv(c, silu(c, instanceNorm(c, h, channels)), channels, channels, 3, 1);
  return c.g.op('Add', [x, h]);
}

/** attention of every latent position [B, C, h, w] over the text context */
function crossAttention(c: Ctx, x: string, channels: number, heads: number, context: string, textDim: number): string {
  const { g } = c;
  const seq = g.op('Transpose', [g.op('Reshape', [x, g.ints('shape', [0, 0, -1])])], { perm: [0, 2, 1] });
  const attended = attention(c, layerNorm(c, seq, channels), channels, heads, { value: context, dim: textDim });
  const back = g.op('Transpose', [g.op('Add', [seq, attended])], { perm: [0, 2, 1] });
  return g.op('Reshape', [back, g.op('Shape', [x])]);
}

export function buildDenoiser(c: Ctx, s: DiffusionSize): void {
  const { g } = c;
  const C = s.unetChannels;
  const latent = g.input('latent', 'float32', ['batch', s.latentChannels, 'height', 'width']);
  const timestep = g.input('timestep', 'float32', ['batch']);
  const context = g.input('context', 'float32', ['batch', s.textTokens, s.textDim]);
  const temb = timeEmbedding(c, timestep, s.timeDim);

  let x = conv(c, latent, s.latentChannels, C, 3);
  for (let i = 0; i < s.unetBlocks; i++) x = resBlock(c, x, C, temb, s.timeDim);
  const skip = x;
  x = conv(c, x, C, 2 * C, 3, 2);
  for (let i = 0; i < s.unetBlocks; i++) {
    x = resBlock(c, x, 2 * C, temb, s.timeDim);
    x = crossAttention(c, x, 2 * C, s.unetHeads, context, s.textDim);
  }
  x = g.op('Resize', [x, '', g.constant('scales', Float32Array.of(1, 1, 2, 2), [4])], { mode: 'nearest' });
  x = g.op('Add', [conv(c, x, 2 * C, C, 3), skip]);
  for (let i = 0; i < s.unetBlocks; i++) x = resBlock(c, x, C, temb, s.timeDim);
  const noise = conv(c, silu(c, instanceNorm(c, x, C)), C, s.latentChannels, 3);
  g.output(noise, 'noise', 'float32', ['batch', s.latentChannels, 'height', 'width']);
}
