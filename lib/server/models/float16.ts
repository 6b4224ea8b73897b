// fp32 graph -> fp16 graph, as ONNX's float16 converters do with
// keep_io_types: every FLOAT initializer is stored as FLOAT16 (round to
// nearest, ties to even), float graph inputs keep their FLOAT type and are cast
// to FLOAT16 at the entry, float graph outputs are cast back to FLOAT at the
// exit, Cast nodes to FLOAT become casts to FLOAT16, float attributes stay.
// The weights are those of the fp32 graph, rounded: same seed, same stream.
// Inputs whose type the ONNX spec fixes to float (Resize scales) stay FLOAT.
import { setFloat16 } from '@petamoriken/float16';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
const DT = onnx.TensorProto.DataType;
type Model = onnxProto.onnx.IModelProto;
type Node = onnxProto.onnx.INodeProto;

/** node inputs (by index) typed tensor(float) in every version of the op, whatever T is */
const floatOnlyInputs: Readonly<Record<string, readonly number[]>> = { Resize: [2] };

const isFloatOnly = (node: Node, index: number): boolean =>
  floatOnlyInputs[node.opType ?? '']?.includes(index) ?? false;

/** float32 values -> little-endian float16 bytes; a finite value beyond ±65504 is an error */
export function float16Bytes(values: Float32Array, what: string): Uint8Array {
  const out = new Uint8Array(values.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    setFloat16(view, 2 * i, v, true);
    // exponent all ones, mantissa zero: ±Infinity
    if (Number.isFinite(v) && (view.getUint16(2 * i, true) & 0x7fff) === 0x7c00) {
      throw new Error(`fp16 conversion: ${what}[${i}] must be within the float16 range (±65504), but is ${v}`);
    }
  }
  return out;
}

function floatValues(t: onnxProto.onnx.ITensorProto): Float32Array {
  if (t.rawData && t.rawData.length > 0) {
    const raw = t.rawData;
    return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  }
  return Float32Array.from(t.floatData ?? []);
}

/** the fp16 version of an fp32 model (a new object; the input is not changed) */
export function toFloat16(model: Model): Model {
  const graph = model.graph;
  if (!graph) throw new Error('fp16 conversion: the model must have a graph');
  const nodes = (graph.node ?? []).map((n) => ({ ...n, input: [...(n.input ?? [])], output: [...(n.output ?? [])] }));
  if (nodes.some((n) => n.opType === 'Constant') || (graph.valueInfo ?? []).length > 0) {
    throw new Error(
      'fp16 conversion: Constant nodes and value_info are not supported (the builder writes initializers only)',
    );
  }
  const names = new Set<string>([
    ...(graph.input ?? []).map((v) => v.name!),
    ...nodes.flatMap((n) => [...n.input, ...n.output]),
  ]);
  const freshName = (base: string): string => {
    const name = `${base}_fp16`;
    if (names.has(name)) throw new Error(`fp16 conversion: value name ${name} is already in use`);
    names.add(name);
    return name;
  };

  const keepFloat = new Set<string>();
  for (const n of nodes) n.input.forEach((name, i) => isFloatOnly(n, i) && keepFloat.add(name));
  const initializer = (graph.initializer ?? []).map((t) => {
    if (t.dataType !== DT.FLOAT || keepFloat.has(t.name!)) return t;
    return {
      ...t,
      floatData: [],
      dataType: DT.FLOAT16,
      rawData: float16Bytes(floatValues(t), `initializer ${t.name}`),
    };
  });

  for (const n of nodes) {
    if (n.opType !== 'Cast') continue;
    n.attribute = (n.attribute ?? []).map((a) =>
      a.name === 'to' && Number(a.i) === DT.FLOAT ? { ...a, i: DT.FLOAT16 } : a,
    );
  }

  const isFloat = (v: onnxProto.onnx.IValueInfoProto): boolean => v.type?.tensorType?.elemType === DT.FLOAT;
  const entry: Node[] = [];
  for (const input of (graph.input ?? []).filter(isFloat)) {
    const name = input.name!;
    const half = freshName(name);
    entry.push(castNode(name, half, DT.FLOAT16));
    for (const n of nodes) n.input = n.input.map((x, i) => (x === name && !isFloatOnly(n, i) ? half : x));
  }
  const exit: Node[] = [];
  for (const output of (graph.output ?? []).filter(isFloat)) {
    const name = output.name!;
    const half = freshName(name);
    for (const n of nodes) {
      n.output = n.output.map((x) => (x === name ? half : x));
      n.input = n.input.map((x) => (x === name ? half : x));
    }
    exit.push(castNode(half, name, DT.FLOAT));
  }
  return { ...model, graph: { ...graph, node: [...entry, ...nodes, ...exit], initializer } };
}

function castNode(from: string, to: string, type: number): Node {
  return {
    opType: 'Cast',
    input: [from],
    output: [to],
    name: `n_Cast_${to}`,
    domain: '',
    attribute: [{ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: type }],
  };
}
