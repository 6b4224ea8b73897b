import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GGUF_ALIGNMENT, readGguf, T, writeGguf, type GgufValue } from './gguf.ts';
import { buildTinyLlama, ensureTinyLlama, TINY_LLAMA } from './model.ts';

const kvs: Array<readonly [string, GgufValue]> = [
  ['a.u8', { type: T.u8, value: 200 }],
  ['a.i8', { type: T.i8, value: -5 }],
  ['a.u16', { type: T.u16, value: 60000 }],
  ['a.i16', { type: T.i16, value: -300 }],
  ['a.u32', { type: T.u32, value: 4000000000 }],
  ['a.i32', { type: T.i32, value: -2000000000 }],
  ['a.f32', { type: T.f32, value: 0.5 }],
  ['a.bool', { type: T.bool, value: true }],
  ['a.string', { type: T.string, value: 'héllo ▁world' }],
  ['a.u64', { type: T.u64, value: 2n ** 40n }],
  ['a.i64', { type: T.i64, value: -(2n ** 40n) }],
  ['a.f64', { type: T.f64, value: 1 / 3 }],
  ['a.strings', { type: T.array, elemType: T.string, values: ['<unk>', '<s>', '</s>', '▁a'] }],
  ['a.f32s', { type: T.array, elemType: T.f32, values: [0, -1.5, 2.25] }],
];

test('writeGguf -> readGguf: every value type, tensor infos, aligned data at the recorded offsets', () => {
  const tensors = [
    { name: 'x', dims: [3], data: Float32Array.from([1, 2, 3]) },
    { name: 'm', dims: [2, 5], data: Float32Array.from({ length: 10 }, (_, i) => i / 4) },
  ];
  const bytes = writeGguf(kvs, tensors);
  const f = readGguf(bytes);
  assert.equal(f.version, 3);
  assert.deepEqual([...f.kv], kvs);
  assert.deepEqual(
    f.tensors.map((t) => [t.name, t.dims, t.type]),
    [
      ['x', [3], 0],
      ['m', [2, 5], 0],
    ],
  );
  assert.equal(f.dataOffset % GGUF_ALIGNMENT, 0);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const [i, t] of f.tensors.entries()) {
    assert.equal(Number(t.offset) % GGUF_ALIGNMENT, 0, t.name);
    const at = f.dataOffset + Number(t.offset);
    const got = Array.from({ length: tensors[i]!.data.length }, (_, j) => view.getFloat32(at + j * 4, true));
    assert.deepEqual(got, Array.from(tensors[i]!.data), t.name);
  }
  assert.equal(bytes.byteLength % GGUF_ALIGNMENT, 0);
});

test('readGguf rejects a wrong magic, a wrong version and a truncated file, naming the problem', () => {
  const good = writeGguf(kvs, []);
  const bad = good.slice();
  bad[0] = 0;
  assert.throws(() => readGguf(bad), /bad magic/);
  const v9 = good.slice();
  new DataView(v9.buffer).setUint32(4, 9, true);
  assert.throws(() => readGguf(v9), /version must be 2 or 3, but is 9/);
  assert.throws(() => readGguf(good.subarray(0, 40)), /truncated at byte/);
  assert.throws(
    () => writeGguf([], [{ name: 'w', dims: [2, 2], data: new Float32Array(3) }]),
    /tensor w has 3 values, its dims 2×2 need 4/,
  );
});

/** a vocab-only GGUF like the ones llama.cpp ships, with 40 tokens */
function vocabFile(): Uint8Array {
  const tokens = ['<unk>', '<s>', '</s>', ...Array.from({ length: 37 }, (_, i) => `▁w${i}`)];
  return writeGguf(
    [
      ['general.architecture', { type: T.string, value: 'llama' }],
      ['llama.embedding_length', { type: T.u32, value: 4096 }],
      ['tokenizer.ggml.model', { type: T.string, value: 'llama' }],
      ['tokenizer.ggml.tokens', { type: T.array, elemType: T.string, values: tokens }],
      ['tokenizer.ggml.scores', { type: T.array, elemType: T.f32, values: tokens.map(() => 0) }],
      ['tokenizer.ggml.token_type', { type: T.array, elemType: T.i32, values: tokens.map((_, i) => (i < 3 ? 3 : 1)) }],
      ['tokenizer.ggml.eos_token_id', { type: T.u32, value: 2 }],
    ],
    [],
  );
}

const small = { ...TINY_LLAMA, layers: 2, width: 16, heads: 2, ffn: 32 };

test('buildTinyLlama: the llama tensors and metadata, tokenizer copied, the vocab size from the vocab, same seed same bytes', () => {
  const vocab = vocabFile();
  const a = buildTinyLlama(vocab, small);
  assert.deepEqual(a, buildTinyLlama(vocab, small), 'deterministic');
  assert.notDeepEqual(a, buildTinyLlama(vocab, { ...small, seed: small.seed + 1 }), 'the seed matters');
  const f = readGguf(a);
  const source = readGguf(vocab);
  for (const [k, v] of source.kv) if (k.startsWith('tokenizer.')) assert.deepEqual(f.kv.get(k), v, k);
  const u32 = (k: string) => (f.kv.get(k) as { value: number }).value;
  assert.equal(u32('llama.vocab_size'), 40);
  assert.equal(u32('llama.embedding_length'), 16, 'the model width, not the vocab file’s');
  assert.equal(u32('llama.block_count'), 2);
  const names = f.tensors.map((t) => t.name);
  assert.deepEqual(
    names.filter((n) => !n.startsWith('blk.')),
    ['token_embd.weight', 'output_norm.weight', 'output.weight'],
  );
  for (const l of [0, 1])
    for (const p of [
      'attn_norm',
      'attn_q',
      'attn_k',
      'attn_v',
      'attn_output',
      'ffn_norm',
      'ffn_gate',
      'ffn_up',
      'ffn_down',
    ])
      assert.ok(names.includes(`blk.${l}.${p}.weight`), `blk.${l}.${p}`);
  assert.deepEqual(f.tensors.find((t) => t.name === 'blk.1.ffn_down.weight')?.dims, [32, 16]);
  assert.deepEqual(f.tensors.find((t) => t.name === 'output.weight')?.dims, [16, 40]);
  // the EOS output row carries the length knob: eosWeight in dimension 0, zero elsewhere
  const out = f.tensors.find((t) => t.name === 'output.weight')!;
  const view = new DataView(a.buffer, a.byteOffset);
  const row = Array.from({ length: 16 }, (_, j) =>
    view.getFloat32(f.dataOffset + Number(out.offset) + (2 * 16 + j) * 4, true),
  );
  assert.equal(row[0], Math.fround(small.eosWeight));
  assert.ok(row.slice(1).every((x) => x === 0));
});

test('ensureTinyLlama: built once, reused while its bytes match the recorded sha256, rebuilt when corrupted', () => {
  const dir = mkdtempSync(join(tmpdir(), 'genload-gguf-'));
  try {
    const vocabPath = join(dir, 'vocab.gguf');
    writeFileSync(vocabPath, vocabFile());
    const first = ensureTinyLlama(dir, vocabPath, small);
    assert.equal(first.cached, false);
    assert.equal(createHash('sha256').update(readFileSync(first.path)).digest('hex'), first.sha256);
    assert.deepEqual(ensureTinyLlama(dir, vocabPath, small), { ...first, cached: true });
    writeFileSync(first.path, 'truncated');
    const again = ensureTinyLlama(dir, vocabPath, small);
    assert.equal(again.cached, false);
    assert.equal(again.sha256, first.sha256, 'the same bytes as the first build');
    assert.notEqual(
      ensureTinyLlama(dir, vocabPath, { ...small, seed: 99 }).path,
      first.path,
      'another spec, another cache entry',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
