// A small GGUF (version 3) reader and writer: the file format llama.cpp loads.
// Layout: magic "GGUF", version, tensor count, key-value count; the key-value
// metadata; one info per tensor (name, dims innermost first, ggml type, offset
// into the data section); padding to the alignment; the tensor data, each
// tensor starting at a multiple of the alignment. Little-endian throughout.
// Only what the llama-cpp fixture needs: F32 tensors, and every value type
// when reading (a vocab-only GGUF's tokenizer entries are copied verbatim).

export const GGUF_MAGIC = 0x46554747; // "GGUF" read as a little-endian u32
export const GGUF_VERSION = 3;
export const GGUF_ALIGNMENT = 32;

/** gguf_type of a metadata value */
export const T = {
  u8: 0,
  i8: 1,
  u16: 2,
  i16: 3,
  u32: 4,
  i32: 5,
  f32: 6,
  bool: 7,
  string: 8,
  array: 9,
  u64: 10,
  i64: 11,
  f64: 12,
} as const;
export type ScalarType = Exclude<(typeof T)[keyof typeof T], 9>;

export type GgufValue =
  | { type: ScalarType; value: number | bigint | boolean | string }
  | { type: typeof T.array; elemType: ScalarType; values: Array<number | bigint | boolean | string> };

/** ggml_type of a tensor (only F32 is written here) */
export const GGML_F32 = 0;

export interface TensorInfo {
  name: string;
  /** innermost first, as ggml stores ne[] */
  dims: number[];
  type: number;
  /** byte offset inside the data section */
  offset: bigint;
}

export interface GgufFile {
  version: number;
  kv: Map<string, GgufValue>;
  tensors: TensorInfo[];
  /** byte offset of the data section in the file */
  dataOffset: number;
}

const SCALAR_BYTES: Record<ScalarType, number> = {
  0: 1,
  1: 1,
  2: 2,
  3: 2,
  4: 4,
  5: 4,
  6: 4,
  7: 1,
  8: 0,
  10: 8,
  11: 8,
  12: 8,
};

class Reader {
  private at = 0;
  private readonly view: DataView;
  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  get offset(): number {
    return this.at;
  }
  private need(n: number): void {
    if (this.at + n > this.buf.byteLength)
      throw new Error(`gguf: truncated at byte ${this.at}, needs ${n} more of ${this.buf.byteLength}`);
  }
  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.at, true);
    this.at += 4;
    return v;
  }
  u64(): bigint {
    this.need(8);
    const v = this.view.getBigUint64(this.at, true);
    this.at += 8;
    return v;
  }
  string(): string {
    const n = Number(this.u64());
    this.need(n);
    const s = new TextDecoder().decode(this.buf.subarray(this.at, this.at + n));
    this.at += n;
    return s;
  }
  scalar(type: ScalarType): number | bigint | boolean | string {
    if (type === T.string) return this.string();
    const size = SCALAR_BYTES[type];
    if (size === undefined) throw new Error(`gguf: unknown value type ${type} at byte ${this.at}`);
    this.need(size);
    const v = this.view;
    const o = this.at;
    this.at += size;
    switch (type) {
      case T.u8:
        return v.getUint8(o);
      case T.i8:
        return v.getInt8(o);
      case T.u16:
        return v.getUint16(o, true);
      case T.i16:
        return v.getInt16(o, true);
      case T.u32:
        return v.getUint32(o, true);
      case T.i32:
        return v.getInt32(o, true);
      case T.f32:
        return v.getFloat32(o, true);
      case T.bool:
        return v.getUint8(o) !== 0;
      case T.u64:
        return v.getBigUint64(o, true);
      case T.i64:
        return v.getBigInt64(o, true);
      case T.f64:
        return v.getFloat64(o, true);
    }
  }
}

/** Parses the header, metadata and tensor infos (tensor data is not copied). */
export function readGguf(buf: Uint8Array): GgufFile {
  const r = new Reader(buf);
  const magic = r.u32();
  if (magic !== GGUF_MAGIC)
    throw new Error(`gguf: bad magic 0x${magic.toString(16)}, expected 0x${GGUF_MAGIC.toString(16)}`);
  const version = r.u32();
  if (version !== 2 && version !== 3) throw new Error(`gguf: version must be 2 or 3, but is ${version}`);
  const tensorCount = Number(r.u64());
  const kvCount = Number(r.u64());
  const kv = new Map<string, GgufValue>();
  for (let i = 0; i < kvCount; i++) {
    const key = r.string();
    const type = r.u32();
    if (type === T.array) {
      const elemType = r.u32() as ScalarType;
      const n = Number(r.u64());
      const values: Array<number | bigint | boolean | string> = [];
      for (let j = 0; j < n; j++) values.push(r.scalar(elemType));
      kv.set(key, { type: T.array, elemType, values });
    } else {
      kv.set(key, { type: type as ScalarType, value: r.scalar(type as ScalarType) });
    }
  }
  const tensors: TensorInfo[] = [];
  for (let i = 0; i < tensorCount; i++) {
    const name = r.string();
    const nDims = r.u32();
    const dims: number[] = [];
    for (let d = 0; d < nDims; d++) dims.push(Number(r.u64()));
    tensors.push({ name, dims, type: r.u32(), offset: r.u64() });
  }
  const align = Number(scalarOf(kv, 'general.alignment') ?? GGUF_ALIGNMENT);
  return { version, kv, tensors, dataOffset: Math.ceil(r.offset / align) * align };
}

export function scalarOf(
  kv: ReadonlyMap<string, GgufValue>,
  key: string,
): number | bigint | boolean | string | undefined {
  const v = kv.get(key);
  return v === undefined || v.type === T.array ? undefined : v.value;
}

/** Grows as bytes are appended; little-endian writes. */
class Writer {
  private buf = new Uint8Array(1 << 16);
  private view = new DataView(this.buf.buffer);
  length = 0;
  private room(n: number): void {
    if (this.length + n <= this.buf.byteLength) return;
    let size = this.buf.byteLength;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  u32(v: number): void {
    this.room(4);
    this.view.setUint32(this.length, v, true);
    this.length += 4;
  }
  u64(v: number | bigint): void {
    this.room(8);
    this.view.setBigUint64(this.length, BigInt(v), true);
    this.length += 8;
  }
  bytes(b: Uint8Array): void {
    this.room(b.byteLength);
    this.buf.set(b, this.length);
    this.length += b.byteLength;
  }
  string(s: string): void {
    const b = new TextEncoder().encode(s);
    this.u64(b.byteLength);
    this.bytes(b);
  }
  pad(align: number): void {
    const n = (align - (this.length % align)) % align;
    this.room(n);
    this.buf.fill(0, this.length, this.length + n);
    this.length += n;
  }
  scalar(type: ScalarType, value: number | bigint | boolean | string): void {
    if (type === T.string) return this.string(String(value));
    const size = SCALAR_BYTES[type];
    this.room(size);
    const v = this.view;
    const o = this.length;
    this.length += size;
    switch (type) {
      case T.u8:
        return v.setUint8(o, Number(value));
      case T.i8:
        return v.setInt8(o, Number(value));
      case T.u16:
        return v.setUint16(o, Number(value), true);
      case T.i16:
        return v.setInt16(o, Number(value), true);
      case T.u32:
        return v.setUint32(o, Number(value), true);
      case T.i32:
        return v.setInt32(o, Number(value), true);
      case T.f32:
        return v.setFloat32(o, Number(value), true);
      case T.bool:
        return v.setUint8(o, value ? 1 : 0);
      case T.u64:
        return v.setBigUint64(o, BigInt(value), true);
      case T.i64:
        return v.setBigInt64(o, BigInt(value), true);
      case T.f64:
        return v.setFloat64(o, Number(value), true);
    }
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

export interface F32Tensor {
  name: string;
  /** innermost first: a [rows × cols] row-major matrix is [cols, rows] */
  dims: number[];
  data: Float32Array;
}

/** The whole file: metadata in the given order, then tensors in the given order. Same input, same bytes. */
export function writeGguf(kv: ReadonlyArray<readonly [string, GgufValue]>, tensors: readonly F32Tensor[]): Uint8Array {
  const w = new Writer();
  w.u32(GGUF_MAGIC);
  w.u32(GGUF_VERSION);
  w.u64(tensors.length);
  w.u64(kv.length);
  for (const [key, v] of kv) {
    w.string(key);
    w.u32(v.type);
    if (v.type === T.array) {
      w.u32(v.elemType);
      w.u64(v.values.length);
      for (const x of v.values) w.scalar(v.elemType, x);
    } else {
      w.scalar(v.type, v.value);
    }
  }
  let offset = 0;
  for (const t of tensors) {
    const count = t.dims.reduce((a, b) => a * b, 1);
    if (count !== t.data.length)
      throw new Error(`gguf: tensor ${t.name} has ${t.data.length} values, its dims ${t.dims.join('×')} need ${count}`);
    w.string(t.name);
    w.u32(t.dims.length);
    for (const d of t.dims) w.u64(d);
    w.u32(GGML_F32);
    w.u64(offset);
    offset += Math.ceil((count * 4) / GGUF_ALIGNMENT) * GGUF_ALIGNMENT;
  }
  w.pad(GGUF_ALIGNMENT);
  for (const t of tensors) {
    const bytes = new Uint8Array(t.data.length * 4);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < t.data.length; i++) view.setFloat32(i * 4, t.data[i] ?? 0, true);
    w.bytes(bytes);
    w.pad(GGUF_ALIGNMENT);
  }
  return w.result();
}
