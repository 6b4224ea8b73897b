// VAE-like decoder: latent [B, latentChannels, h, w] -> image [B, 3, 8h, 8w]
// with values in [-1, 1] (Tanh). A residual block at latent resolution, then
// three nearest ×2 upsamples each followed by a 3×3 conv and SiLU.
import { conv, instanceNorm, silu, type Ctx } from './layers.ts';
import type { DiffusionSize } from './presets.ts';

export function buildVaeDecoder(c: Ctx, s: DiffusionSize): void {
  const { g } = c;
  const [c0, c1, c2, c3] = s.vaeChannels;
  const latent = g.input('latent', 'float32', ['batch', s.latentChannels, 'height', 'width']);
  let x = conv(c, latent, s.latentChannels, c0, 3);
  x = g.op('Add', [x, conv(c, silu(c, instanceNorm(c, x, c0)), c0, c0, 3)]);
  const widths = [c0, c1, c2, c3];
  for (let i = 0; i < 3; i++) {
    x = g.op('Resize', [x, '', g.constant('scales', Float32Array.of(1, 1, 2, 2), [4])], { mode: 'nearest' });
    x = silu(c, conv(c, x, widths[i]!, widths[i + 1]!, 3));
  }
  const rgb = g.op('Tanh', [conv(c, instanceNorm(c, x, c3), c3, 3, 3)]);
  g.output(rgb, 'image', 'float32', ['batch', 3, 'image_height', 'image_width']);
}
