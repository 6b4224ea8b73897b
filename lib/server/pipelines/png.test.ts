import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { encodePng, toRgb } from './png.ts';

test('toRgb maps [-1, 1] to [0, 255], clamps, and interleaves channels', () => {
  // B=2, 3×1×2 each; take image 1
  const t = Float32Array.of(0, 0, 0, 0, 0, 0, /* image 1: R */ -1, 1, /* G */ 0, 2, /* B */ -3, 0.5);
  assert.deepEqual(Array.from(toRgb(t, 1, 1, 2)), [0, 128, 0, 255, 255, 191]);
});

test('encodePng gives a PNG that decodes to the same pixels', async () => {
  const rgb = Uint8Array.from({ length: 4 * 3 * 3 }, (_, i) => (i * 37) % 256);
  const png = await encodePng(rgb, 4, 3);
  assert.deepEqual(Array.from(png.slice(1, 4)), [80, 78, 71]); // "PNG"
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  assert.equal(info.width, 4);
  assert.equal(info.height, 3);
  assert.deepEqual(Array.from(data), Array.from(rgb));
});
