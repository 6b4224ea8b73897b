// Image output: a decoder tensor [B, 3, H, W] with values in [-1, 1] becomes
// interleaved RGB bytes, then PNG (sharp: libvips, runs off the JS thread).
import sharp from 'sharp';

/** image `index` of a [B, 3, H, W] tensor in [-1, 1] -> RGB uint8, row-major HWC */
export function toRgb(chw: Float32Array, index: number, heightPx: number, widthPx: number): Uint8Array {
  const plane = heightPx * widthPx;
  const base = index * 3 * plane;
  const out = new Uint8Array(3 * plane);
  for (let p = 0; p < plane; p++) {
    for (let ch = 0; ch < 3; ch++) {
      const v = (chw[base + ch * plane + p]! + 1) * 127.5;
      out[3 * p + ch] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
    }
  }
  return out;
}

export async function encodePng(rgb: Uint8Array, widthPx: number, heightPx: number): Promise<Uint8Array> {
  const buf = await sharp(rgb, { raw: { width: widthPx, height: heightPx, channels: 3 } })
    .png({ compressionLevel: 6 })
    .toBuffer();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}
