// The KV cache and its padded batches must not change the maths: a sequence's
// logits are the same alone or batched with a longer one, and prefill+decode
// gives the same logits as one prefill of the whole text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ort from 'onnxruntime-node';
import { buildGraph, modelSpec } from '../models/catalog.ts';
import { presets } from '../models/presets.ts';
import { KvCache, type LlmShape } from './kv-cache.ts';

const l = presets.test.llm;
const shape: LlmShape = { layers: l.layers, heads: l.heads, headDim: l.dModel / l.heads };
const session = await ort.InferenceSession.create(buildGraph(modelSpec('tiny-llm', 'fp32', 'test'), 'decoder'), {
  intraOpNumThreads: 1,
});

async function step(cache: KvCache, steps: { seqId: number; tokens: number[] }[]): Promise<Float32Array> {
  const s = cache.buildStep(steps);
  const B = steps.length;
  const P = s.pastLength;
  const S = s.seqLength;
  const feeds: Record<string, ort.Tensor> = {
    input_ids: new ort.Tensor('int64', s.inputIds, [B, S]),
    position_ids: new ort.Tensor('int64', s.positionIds, [B, S]),
    attn_bias: new ort.Tensor('float32', s.attnBias, [B, 1, S, P + S]),
  };
  for (let k = 0; k < shape.layers; k++) {
    feeds[`past_key_${k}`] = new ort.Tensor('float32', s.pastKeys[k]!, [B, shape.heads, P, shape.headDim]);
    feeds[`past_value_${k}`] = new ort.Tensor('float32', s.pastValues[k]!, [B, shape.heads, P, shape.headDim]);
  }
  const out = await session.run(feeds);
  const keys = Array.from({ length: shape.layers }, (_, k) => out[`present_key_${k}`]!.data as Float32Array);
  const values = Array.from({ length: shape.layers }, (_, k) => out[`present_value_${k}`]!.data as Float32Array);
  cache.append(
    steps.map((x) => x.seqId),
    P,
    S,
    keys,
    values,
  );
  return out.logits!.data as Float32Array;
}

function assertClose(a: Float32Array, b: Float32Array): void {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) < 1e-3, `index ${i}: ${a[i]} vs ${b[i]}`);
}

test('prefill then decode equals one prefill of the whole sequence', async () => {
  const cache = new KvCache(shape);
  await step(cache, [{ seqId: 1, tokens: [256, 72, 101, 108] }]);
  const incremental = await step(cache, [{ seqId: 1, tokens: [108] }]);
  const whole = await step(new KvCache(shape), [{ seqId: 2, tokens: [256, 72, 101, 108, 108] }]);
  assertClose(incremental, whole);
  assert.equal(cache.lengthOf(1), 5);
});

test('a batched decode step gives each sequence its own logits (padding masked)', async () => {
  const alone = new KvCache(shape);
  await step(alone, [{ seqId: 1, tokens: [256, 65] }]);
  const aAlone = await step(alone, [{ seqId: 1, tokens: [66] }]);
  await step(alone, [{ seqId: 2, tokens: [256, 70, 71, 72, 73, 74, 75] }]);
  const bAlone = await step(alone, [{ seqId: 2, tokens: [76] }]);

  const batched = new KvCache(shape);
  await step(batched, [{ seqId: 1, tokens: [256, 65] }]);
  await step(batched, [{ seqId: 2, tokens: [256, 70, 71, 72, 73, 74, 75] }]);
  const both = await step(batched, [
    { seqId: 1, tokens: [66] },
    { seqId: 2, tokens: [76] },
  ]);
  const V = aAlone.length;
  assertClose(both.subarray(0, V), aAlone);
  assertClose(both.subarray(V), bAlone);
  // and the caches keep working on later steps
  const next = await step(batched, [{ seqId: 1, tokens: [67] }]);
  const ref = await step(alone, [{ seqId: 1, tokens: [67] }]);
  assertClose(next, ref);
});

test('a cache that grows past its first capacity keeps its entries', async () => {
  const tokens = Array.from({ length: 20 }, (_, i) => 65 + i);
  const cache = new KvCache(shape);
  let last = await step(cache, [{ seqId: 1, tokens: [256] }]); // capacity 16
  for (const t of tokens) last = await step(cache, [{ seqId: 1, tokens: [t] }]);
  const whole = await step(new KvCache(shape), [{ seqId: 1, tokens: [256, ...tokens] }]);
  assertClose(last, whole);
});

test('free forgets a sequence', () => {
  const cache = new KvCache(shape);
  cache.buildStep([{ seqId: 5, tokens: [1] }]);
  assert.equal(cache.size, 1);
  cache.free(5);
  assert.equal(cache.size, 0);
});
