// The fp16 transform: weights are the fp32 weights rounded to nearest even,
// graph io stays FLOAT behind entry/exit casts, Cast to FLOAT becomes Cast to
// FLOAT16, the bytes are deterministic, and ONNX Runtime's CPU provider runs it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getFloat16 } from '@petamoriken/float16';
import onnxProto from 'onnx-proto';
import ort from 'onnxruntime-node';
import { buildGraph, modelSpec, type Family, type GraphName } from './catalog.ts';
import { float16Bytes, toFloat16 } from './float16.ts';
import { encodeModel, Graph } from './graph.ts';

const { onnx } = onnxProto;
const DT = onnx.TensorProto.DataType;

const bitsOf = (v: number): number => {
  const b = float16Bytes(Float32Array.of(v), 'v');
  return b[0]! | (b[1]! << 8);
};

test('float16Bytes rounds to nearest, ties to even, little-endian', () => {
  const rows: [number, number][] = [
    [1, 0x3c00],
    [-2, 0xc000],
    [65504, 0x7bff], // largest finite float16
    [1 + 2 ** -11, 0x3c00], // tie between 1 and 1 + 2^-10: to the even mantissa (1)
    [1 + 3 * 2 ** -11, 0x3c02], // tie between 1 + 2^-10 and 1 + 2^-9: to the even one
    [1 + 2 ** -11 + 2 ** -20, 0x3c01], // just above the tie: up
    [2 ** -24, 0x0001], // smallest subnormal
    [2 ** -26, 0x0000], // below half of it: zero
    [0.1, 0x2e66],
  ];
  for (const [v, bits] of rows) assert.equal(bitsOf(v), bits, `${v}`);
  assert.throws(
    () => float16Bytes(Float32Array.of(0, 70000), 'initializer w'),
    /^Error: fp16 conversion: initializer w\[1\] must be within the float16 range \(±65504\), but is 70000$/,
  );
});

/** a decoded graph with its messages typed as the decoded classes (fields present, not optional) */
function decode(bytes: Uint8Array) {
  const g = onnx.ModelProto.decode(bytes).graph!;
  type P = typeof onnxProto.onnx;
  return {
    input: g.input as InstanceType<P['ValueInfoProto']>[],
    output: g.output as InstanceType<P['ValueInfoProto']>[],
    node: g.node as InstanceType<P['NodeProto']>[],
    initializer: g.initializer as InstanceType<P['TensorProto']>[],
  };
}
const graphs: [Family, GraphName][] = [
  ['tiny-sd', 'text_encoder'],
  ['tiny-sd', 'denoiser'],
  ['tiny-sd', 'vae_decoder'],
  ['tiny-llm', 'decoder'],
];

for (const [family, graph] of graphs) {
  test(`${graph}: fp16 initializers are the fp32 weights rounded; io types stay FLOAT; deterministic bytes`, () => {
    const fullBytes = buildGraph(modelSpec(family, 'fp32', 'test'), graph);
    const halfBytes = buildGraph(modelSpec(family, 'fp16', 'test'), graph);
    assert.deepEqual(buildGraph(modelSpec(family, 'fp16', 'test'), graph), halfBytes);
    const full = decode(fullBytes);
    const half = decode(halfBytes);
    assert.deepEqual(half.input, full.input);
    assert.deepEqual(half.output, full.output);

    // Resize scales are tensor(float) in the ONNX spec: the only FLOAT initializers left
    const resizeScales = new Set(half.node.filter((n) => n.opType === 'Resize').map((n) => n.input[2]!));
    assert.equal(half.initializer.length, full.initializer.length);
    let converted = 0;
    for (const [i, h] of half.initializer.entries()) {
      const f = full.initializer[i]!;
      assert.equal(h.name, f.name);
      assert.deepEqual(h.dims, f.dims);
      if (f.dataType !== DT.FLOAT || resizeScales.has(f.name)) {
        assert.equal(h.dataType, f.dataType, f.name);
        assert.deepEqual(h.rawData, f.rawData, f.name);
        continue;
      }
      converted++;
      assert.equal(h.dataType, DT.FLOAT16, f.name);
      const w = new Float32Array(Uint8Array.from(f.rawData).buffer);
      const view = new DataView(h.rawData.buffer, h.rawData.byteOffset, h.rawData.byteLength);
      assert.equal(view.byteLength, 2 * w.length);
      for (let k = 0; k < w.length; k++) {
        const r = getFloat16(view, 2 * k, true);
        // the nearest float16: no other float16 is closer (relative step 2^-11 in the normal range)
        assert.ok(
          Math.abs(r - w[k]!) <= Math.max(Math.abs(w[k]!) * 2 ** -11, 2 ** -25),
          `${f.name}[${k}]: ${w[k]} -> ${r}`,
        );
        assert.equal(bitsOf(w[k]!), view.getUint16(2 * k, true));
      }
    }
    assert.ok(converted > 0);

    const floatInputs = full.input.filter((v) => v.type!.tensorType!.elemType === DT.FLOAT).map((v) => v.name);
    const floatOutputs = full.output.filter((v) => v.type!.tensorType!.elemType === DT.FLOAT).map((v) => v.name);
    const casts = half.node.filter((n) => n.opType === 'Cast');
    const to = (n: onnxProto.onnx.INodeProto) => Number(n.attribute!.find((a) => a.name === 'to')!.i);
    assert.deepEqual(
      half.node.slice(0, floatInputs.length).map((n) => [n.opType, n.input[0], to(n)]),
      floatInputs.map((name) => ['Cast', name, DT.FLOAT16]),
    );
    assert.deepEqual(
      half.node.slice(-floatOutputs.length).map((n) => [n.opType, n.output[0], to(n)]),
      floatOutputs.map((name) => ['Cast', name, DT.FLOAT]),
    );
    assert.equal(casts.length, floatInputs.length + floatOutputs.length);
    // no node but the entry casts reads a float graph input directly
    for (const n of half.node.slice(floatInputs.length))
      for (const name of floatInputs) assert.ok(!n.input.includes(name), `${n.name} reads ${name}`);
  });
}

test('a Cast to FLOAT becomes a Cast to FLOAT16; float attributes stay; ORT runs it on cpu', async () => {
  const g = new Graph('casts');
  const x = g.input('x', 'float32', [3]);
  const asInt = g.op('Cast', [x], { to: DT.INT32 });
  const back = g.op('Cast', [asInt], { to: DT.FLOAT });
  const normed = g.op(
    'LayerNormalization',
    [back, g.constant('s', Float32Array.of(1, 1, 1), [3]), g.constant('b', Float32Array.of(0.1, 0, 0), [3])],
    { axis: -1, epsilon: { float: 1e-5 } },
  );
  g.output(normed, 'y', 'float32', [3]);
  const model = g.toModel('casts');
  const before = onnx.ModelProto.encode(model).finish();
  const half = toFloat16(model);
  assert.deepEqual(onnx.ModelProto.encode(model).finish(), before, 'the input model is not changed');
  const nodes = half.graph!.node!;
  const castTo = nodes.filter((n) => n.opType === 'Cast').map((n) => Number(n.attribute![0]!.i));
  assert.deepEqual(castTo, [DT.FLOAT16, DT.INT32, DT.FLOAT16, DT.FLOAT]);
  const eps = nodes.find((n) => n.opType === 'LayerNormalization')!.attribute!.find((a) => a.name === 'epsilon')!;
  assert.equal(eps.type, onnx.AttributeProto.AttributeType.FLOAT);
  const s = await ort.InferenceSession.create(encodeModel(half), { intraOpNumThreads: 1 });
  const r = await s.run({ x: new ort.Tensor('float32', Float32Array.of(1.4, 2.6, -3), [3]) });
  assert.equal(r.y!.type, 'float32');
  // LayerNorm of [1, 2, -3] (casts to int truncate toward zero; mean 0), + bias 0.1 on the first element
  const y = r.y!.data as Float32Array;
  const sd = Math.sqrt((1 + 4 + 9) / 3);
  [1 / sd + 0.1, 2 / sd, -3 / sd].forEach((v, i) =>
    assert.ok(Math.abs(y[i]! - v) < 2e-3, `y[${i}] = ${y[i]}, expected ${v}`),
  );
});
