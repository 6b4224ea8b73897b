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

/** rgb: width × height × 3 bytes, row-major */
export async function encodePng(widthPx: number, heightPx: number, rgb: Uint8Array): Promise<Uint8Array> {
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

/** a seeded pattern: two colour gradients and a few discs, identical for equal seeds */
export function seededPattern(widthPx: number, heightPx: number, seed: number): Uint8Array {
  const rand = seededRandom(seed);
  const a = [rand() * 255, rand() * 255, rand() * 255];
  const b = [rand() * 255, rand() * 255, rand() * 255];
  const discs = Array.from({ length: 3 }, () => ({ x: rand() * widthPx, y: rand() * heightPx, r2: (rand() * 0.3 * widthPx) ** 2, c: rand() * 255 }));
  const rgb = new Uint8Array(widthPx * heightPx * 3);
  for (let y = 0; y < heightPx; y++) {
    for (let x = 0; x < widthPx; x++) {
      const t = (x + y) / (widthPx + heightPx);
      const i = (y * widthPx + x) * 3;
      for (let c = 0; c < 3; c++) rgb[i + c] = a[c]! * (1 - t) + b[c]! * t;
      for (const d of discs) if ((x - d.x) ** 2 + (y - d.y) ** 2 < d.r2) rgb[i] = d.c;
    }
  }
  return rgb;
}
