// A small PNG encoder (8-bit RGB, no filter) over node:zlib. Deflate runs on
// libuv's thread pool (async), so encoding does not block the event loop.
import { crc32, deflate } from 'node:zlib';
import { promisify } from 'node:util';
import { seededRandom } from './pace.ts';

const deflateAsync = promisify(deflate);
const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** rgb: width × height × 3 bytes, row-major (the same arguments as lib/server/pipelines/png.ts, which encodes with sharp) */
export async function encodePng(rgb: Uint8Array, widthPx: number, heightPx: number): Promise<Uint8Array> {
  const stride = widthPx * 3;
  const raw = Buffer.alloc((stride + 1) * heightPx);
  for (let y = 0; y < heightPx; y++) {
    raw[y * (stride + 1)] = 0; // filter type: none
    raw.set(rgb.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(widthPx, 0);
  ihdr.writeUInt32BE(heightPx, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type RGB, deflate, adaptive filter, no interlace
  const idat = await deflateAsync(raw, { level: 1 });
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

/**
 * A seeded pattern: two colour gradients and a few discs on a grid of at most
 * 64 × 64 cells, identical for equal seeds. Each row of cells is computed once
 * and copied, so a 512 × 512 image costs well under a millisecond of main-loop time.
 */
export function seededPattern(widthPx: number, heightPx: number, seed: number): Uint8Array {
  const rand = seededRandom(seed);
  const a = [rand() * 255, rand() * 255, rand() * 255];
  const b = [rand() * 255, rand() * 255, rand() * 255];
  const cell = Math.max(1, Math.ceil(Math.max(widthPx, heightPx) / 64));
  const discs = Array.from({ length: 3 }, () => ({
    x: rand() * widthPx,
    y: rand() * heightPx,
    r2: (rand() * 0.3 * widthPx) ** 2,
    c: rand() * 255,
  }));
  const stride = widthPx * 3;
  const rgb = Buffer.alloc(stride * heightPx);
  for (let y0 = 0; y0 < heightPx; y0 += cell) {
    for (let x = 0; x < widthPx; x++) {
      const cx = x - (x % cell);
      const t = (cx + y0) / (widthPx + heightPx);
      const i = y0 * stride + x * 3;
      for (let c = 0; c < 3; c++) rgb[i + c] = a[c]! * (1 - t) + b[c]! * t;
      for (const d of discs) if ((cx - d.x) ** 2 + (y0 - d.y) ** 2 < d.r2) rgb[i] = d.c;
    }
    for (let y = y0 + 1; y < Math.min(heightPx, y0 + cell); y++)
      rgb.copyWithin(y * stride, y0 * stride, (y0 + 1) * stride);
  }
  return rgb;
}
