// Built graphs: deterministic bytes, they load in ONNX Runtime with the
// documented shapes, and int8 and fp16 stay close to fp32 (the errors are printed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { Random } from '../pipelines/random.ts';
import { VOCAB_SIZE } from '../pipelines/tokenizer.ts';
import { ensureModel } from './cache.ts';
import { buildGraph, modelSpec, type GraphName } from './catalog.ts';
import { presets } from './presets.ts';

const d = presets.test.diffusion;
const l = presets.test.llm;
const headDim = l.dModel / l.heads;

test('same spec gives identical bytes; another seed differs', () => {
  const a = buildGraph(modelSpec('tiny-sd', 'fp32', 'test'), 'denoiser');
  const b = buildGraph(modelSpec('tiny-sd', 'fp32', 'test'), 'denoiser');
  const c = buildGraph(modelSpec('tiny-sd', 'fp32', 'test', 7), 'denoiser');
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  assert.deepEqual(
    buildGraph(modelSpec('tiny-llm', 'int8', 'test'), 'decoder'),
    buildGraph(modelSpec('tiny-llm', 'int8', 'test'), 'decoder'),
  );
});

test('the cache reuses a built model by its config hash', () => {
  const dir = mkdtempSync(join(tmpdir(), 'genload-models-'));
  try {
    const first = ensureModel(modelSpec('tiny-llm', 'fp32', 'test'), dir);
    const again = ensureModel(modelSpec('tiny-llm', 'fp32', 'test'), dir);
    assert.equal(first[0]!.cached, false);
    assert.equal(again[0]!.cached, true);
    assert.equal(first[0]!.sha256, again[0]!.sha256);
    assert.notEqual(ensureModel(modelSpec('tiny-llm', 'fp32', 'test', 9), dir)[0]!.path, first[0]!.path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function feeds(graph: GraphName, batch: number): Record<string, ort.Tensor> {
  const rng = new Random(11);
  const f = (dims: number[], std = 1) =>
    new ort.Tensor(
      'float32',
      rng.gaussianArray(
        dims.reduce((a, b) => a * b, 1),
        std,
      ),
      dims,
    );
  const i64 = (dims: number[], max: number) =>
    new ort.Tensor(
      'int64',
      BigInt64Array.from({ length: dims.reduce((a, b) => a * b, 1) }, (_, i) => BigInt(i % max)),
      dims,
    );
  if (graph === 'text_encoder') return { input_ids: i64([batch, d.textTokens], 256) };
  if (graph === 'denoiser')
    return {
      latent: f([batch, 4, 8, 8]),
      timestep: new ort.Tensor('float32', new Float32Array(batch).fill(500), [batch]),
      context: f([batch, d.textTokens, d.textDim]),
    };
  if (graph === 'vae_decoder') return { latent: f([batch, 4, 8, 8]) };
  const out: Record<string, ort.Tensor> = {
    input_ids: i64([batch, 5], 256),
    position_ids: i64([batch, 5], 1000),
    attn_bias: new ort.Tensor('float32', new Float32Array(batch * 5 * 8), [batch, 1, 5, 8]),
  };
  for (let k = 0; k < l.layers; k++) {
    out[`past_key_${k}`] = f([batch, l.heads, 3, headDim]);
    out[`past_value_${k}`] = f([batch, l.heads, 3, headDim]);
  }
  return out;
}

const expected: Record<GraphName, [string, number[]]> = {
  text_encoder: ['context', [2, d.textTokens, d.textDim]],
  denoiser: ['noise', [2, 4, 8, 8]],
  vae_decoder: ['image', [2, 3, 64, 64]],
  decoder: ['logits', [2, 1, VOCAB_SIZE]],
};

for (const [family, graph] of [
  ['tiny-sd', 'text_encoder'],
  ['tiny-sd', 'denoiser'],
  ['tiny-sd', 'vae_decoder'],
  ['tiny-llm', 'decoder'],
] as const) {
  test(`${graph}: loads, has the expected shape, int8 and fp16 close to fp32`, async () => {
    const [name, dims] = expected[graph];
    const out: Float32Array[] = [];
    for (const precision of ['fp32', 'int8', 'fp16'] as const) {
      const s = await ort.InferenceSession.create(buildGraph(modelSpec(family, precision, 'test'), graph), {
        intraOpNumThreads: 1,
      });
      const r = await s.run(feeds(graph, 2));
      assert.deepEqual(r[name]!.dims, dims);
      assert.equal(r[name]!.type, 'float32');
      if (graph === 'decoder') assert.deepEqual(r.present_key_0!.dims, [2, l.heads, 8, headDim]);
      out.push(r[name]!.data as Float32Array);
    }
    const [a, int8, fp16] = out as [Float32Array, Float32Array, Float32Array];
    const relativeL2 = (b: Float32Array): number => {
      let err = 0;
      let norm = 0;
      for (let i = 0; i < a.length; i++) {
        err += (a[i]! - b[i]!) ** 2;
        norm += a[i]! ** 2;
      }
      return Math.sqrt(err / norm);
    };
    const [relInt8, relFp16] = [relativeL2(int8), relativeL2(fp16)];
    console.log(
      `# ${graph}: relative L2 error vs fp32: int8 ${(100 * relInt8).toFixed(2)}%, fp16 ${(100 * relFp16).toFixed(3)}%`,
    );
    assert.ok(relInt8 < 0.1, `int8 relative error ${relInt8}`);
    assert.ok(relInt8 > 0, 'int8 must actually differ from fp32');
    assert.ok(relFp16 < 0.01, `fp16 relative error ${relFp16}`);
    assert.ok(relFp16 > 0, 'fp16 must actually differ from fp32');
  });
}
