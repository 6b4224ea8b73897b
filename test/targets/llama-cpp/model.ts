// A tiny random-weight Llama written as GGUF for llama.cpp: a few layers,
// small width, fixed seed, so the same vocab and spec give the same bytes.
// The tokenizer entries (tokenizer.*) are copied from a vocab-only GGUF that
// llama-cpp-python's sdist ships (vendor/llama.cpp/models), so prompts are
// tokenized as by a real Llama-2 model and the vocab size follows the vocab.
//
// Random weights give random text; one choice makes lengths realistic: every
// token embedding has the same value `eosDim` in dimension 0, and the output
// row of the end-of-sequence token is zero except `eosWeight` there, so the
// EOS logit is about the same at each position while the other logits are
// small noise. Without ignore_eos (or min_tokens) a request then usually
// stops before max_tokens, so a test of forced output length can fail.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededUniform } from '../../../lib/shared/stats/random.ts';
import { readGguf, scalarOf, T, writeGguf, type F32Tensor, type GgufValue } from './gguf.ts';

export interface TinyLlamaSpec {
  layers: number;
  /** embedding width (n_embd) */
  width: number;
  heads: number;
  /** feed-forward width */
  ffn: number;
  contextTokens: number;
  seed: number;
  /** dimension 0 of every token embedding */
  eosDim: number;
  /** dimension 0 of the EOS output row; other output rows are N(0, outputStd²) */
  eosWeight: number;
  outputStd: number;
}

export const TINY_LLAMA: Readonly<TinyLlamaSpec> = Object.freeze({
  layers: 4,
  width: 128,
  heads: 4,
  ffn: 256,
  contextTokens: 2048,
  seed: 12,
  eosDim: 4,
  eosWeight: 0.25,
  outputStd: 0.02,
});

/** Normal(0, std²) values by Box-Muller. */
function normals(u: () => number, n: number, std: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - u())) * std;
    const th = 2 * Math.PI * u();
    out[i] = r * Math.cos(th);
    if (i + 1 < n) out[i + 1] = r * Math.sin(th);
  }
  return out;
}

/** The model file for a vocab-only GGUF's bytes. */
export function buildTinyLlama(vocabGguf: Uint8Array, spec: TinyLlamaSpec = TINY_LLAMA): Uint8Array {
  const vocab = readGguf(vocabGguf);
  const tokens = vocab.kv.get('tokenizer.ggml.tokens');
  if (tokens === undefined || tokens.type !== T.array) throw new Error('vocab gguf: no tokenizer.ggml.tokens array');
  const nVocab = tokens.values.length;
  const eos = Number(scalarOf(vocab.kv, 'tokenizer.ggml.eos_token_id') ?? 2);
  const { width: d, ffn, heads, layers } = spec;
  if (d % heads !== 0) throw new Error(`width must be a multiple of heads, but is ${d} for ${heads} heads`);
  const u = seededUniform(spec.seed);

  const kv: Array<readonly [string, GgufValue]> = [
    ['general.architecture', { type: T.string, value: 'llama' }],
    ['general.name', { type: T.string, value: `genload-tiny-llama-${layers}x${d}` }],
    ['general.alignment', { type: T.u32, value: 32 }],
    ['general.file_type', { type: T.u32, value: 0 }],
    ['llama.vocab_size', { type: T.u32, value: nVocab }],
    ['llama.context_length', { type: T.u32, value: spec.contextTokens }],
    ['llama.embedding_length', { type: T.u32, value: d }],
    ['llama.block_count', { type: T.u32, value: layers }],
    ['llama.feed_forward_length', { type: T.u32, value: ffn }],
    ['llama.rope.dimension_count', { type: T.u32, value: d / heads }],
    ['llama.attention.head_count', { type: T.u32, value: heads }],
    ['llama.attention.head_count_kv', { type: T.u32, value: heads }],
    ['llama.attention.layer_norm_rms_epsilon', { type: T.f32, value: 1e-5 }],
    ...[...vocab.kv].filter(([k]) => k.startsWith('tokenizer.')),
  ];

  const ones = (n: number) => new Float32Array(n).fill(1);
  const matrix = (name: string, cols: number, rows: number): F32Tensor => ({
    name,
    dims: [cols, rows],
    data: normals(u, cols * rows, 1 / Math.sqrt(cols) / layers),
  });
  const embd = normals(u, d * nVocab, 1);
  for (let t = 0; t < nVocab; t++) embd[t * d] = spec.eosDim;
  const out = normals(u, d * nVocab, spec.outputStd);
  for (let t = 0; t < nVocab; t++) out[t * d] = 0;
  out.fill(0, eos * d, (eos + 1) * d);
  out[eos * d] = spec.eosWeight;

  const tensors: F32Tensor[] = [{ name: 'token_embd.weight', dims: [d, nVocab], data: embd }];
  for (let l = 0; l < layers; l++) {
    const b = `blk.${l}`;
    tensors.push(
      { name: `${b}.attn_norm.weight`, dims: [d], data: ones(d) },
      matrix(`${b}.attn_q.weight`, d, d),
      matrix(`${b}.attn_k.weight`, d, d),
      matrix(`${b}.attn_v.weight`, d, d),
      matrix(`${b}.attn_output.weight`, d, d),
      { name: `${b}.ffn_norm.weight`, dims: [d], data: ones(d) },
      matrix(`${b}.ffn_gate.weight`, d, ffn),
      matrix(`${b}.ffn_up.weight`, d, ffn),
      matrix(`${b}.ffn_down.weight`, ffn, d),
    );
  }
  tensors.push(
    { name: 'output_norm.weight', dims: [d], data: ones(d) },
    { name: 'output.weight', dims: [d, nVocab], data: out },
  );
  return writeGguf(kv, tensors);
}

const sha256 = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');

/**
 * The cached model file for this vocab and spec: <cacheRoot>/models/llama-gguf-<key>/model.gguf,
 * key = hash of the spec, the vocab bytes and this builder's source. Reused when its
 * bytes match the recorded SHA-256; written atomically, so a reader never sees half a file.
 */
export function ensureTinyLlama(
  cacheRoot: string,
  vocabPath: string,
  spec: TinyLlamaSpec = TINY_LLAMA,
): { path: string; sha256: string; cached: boolean } {
  const vocab = readFileSync(vocabPath);
  const source =
    readFileSync(fileURLToPath(import.meta.url), 'utf8') +
    readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'gguf.ts'), 'utf8');
  const key = sha256(JSON.stringify(spec) + sha256(vocab) + sha256(source)).slice(0, 16);
  const dir = join(cacheRoot, 'models', `llama-gguf-${key}`);
  const path = join(dir, 'model.gguf');
  const shaPath = `${path}.sha256`;
  if (existsSync(path) && existsSync(shaPath)) {
    const want = readFileSync(shaPath, 'utf8').trim();
    if (sha256(readFileSync(path)) === want) return { path, sha256: want, cached: true };
  }
  mkdirSync(dir, { recursive: true });
  const bytes = buildTinyLlama(vocab, spec);
  const digest = sha256(bytes);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, path);
  writeFileSync(`${shaPath}.${process.pid}.tmp`, `${digest}\n`);
  renameSync(`${shaPath}.${process.pid}.tmp`, shaPath);
  return { path, sha256: digest, cached: false };
}
