// A small builder of ONNX graphs on top of onnx-proto (the ONNX protobuf
// definitions). Names are generated from a counter, so the same sequence of
// calls gives the same bytes. Initializers are stored as raw little-endian bytes.
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
const DT = onnx.TensorProto.DataType;
const AT = onnx.AttributeProto.AttributeType;

export type ElemType = 'float32' | 'int64' | 'int8' | 'uint8' | 'int32';
const elemCode: Record<ElemType, number> = {
  float32: DT.FLOAT,
  int64: DT.INT64,
  int8: DT.INT8,
  uint8: DT.UINT8,
  int32: DT.INT32,
};

/** a dimension: a fixed size or a symbolic name (dynamic) */
export type Dim = number | string;

/** attribute values; floats must be tagged so whole numbers are still written as FLOAT */
export type Attr = number | number[] | string | { float: number } | { floats: number[] };

type TypedData = Float32Array | BigInt64Array | Int8Array | Uint8Array | Int32Array;

export const OPSET = 17;
export const MS_DOMAIN = 'com.microsoft';

export class Graph {
  private readonly nodes: onnxProto.onnx.INodeProto[] = [];
  private readonly initializers: onnxProto.onnx.ITensorProto[] = [];
  private readonly inputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly outputs: onnxProto.onnx.IValueInfoProto[] = [];
  private counter = 0;
  private usesMs = false;

  constructor(readonly name: string) {}

  /** a fresh value name with a readable prefix */
  fresh(prefix: string): string {
    return `${prefix}_${this.counter++}`;
  }

  input(name: string, type: ElemType, dims: Dim[]): string {
    this.inputs.push(valueInfo(name, type, dims));
    return name;
  }

  output(value: string, name: string, type: ElemType, dims: Dim[]): void {
    this.op('Identity', [value], {}, name);
    this.outputs.push(valueInfo(name, type, dims));
  }

  /** a constant tensor stored as an initializer */
  constant(prefix: string, data: TypedData, dims: number[]): string {
    const name = this.fresh(prefix);
    const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    this.initializers.push({ name, dims, dataType: elemCode[typeOf(data)], rawData: new Uint8Array(raw) });
    return name;
  }

  ints(prefix: string, values: number[]): string {
    return this.constant(prefix, BigInt64Array.from(values.map((v) => BigInt(v))), [values.length]);
  }

  scalar(prefix: string, value: number): string {
    return this.constant(prefix, Float32Array.of(value), []);
  }

  /** adds a node; returns its first output name (or `outName` when given) */
  op(opType: string, inputs: string[], attrs: Record<string, Attr> = {}, outName?: string, domain = ''): string {
    return this.opMulti(opType, inputs, 1, attrs, domain, outName ? [outName] : undefined)[0]!;
  }

  opMulti(
    opType: string,
    inputs: string[],
    outputCount: number,
    attrs: Record<string, Attr> = {},
    domain = '',
    outNames?: string[],
  ): string[] {
    if (domain === MS_DOMAIN) this.usesMs = true;
    const outputs = outNames ?? Array.from({ length: outputCount }, () => this.fresh(opType.toLowerCase()));
    const attribute = Object.keys(attrs)
      .sort()
      .map((key) => attribute1(key, attrs[key]!));
    this.nodes.push({ opType, input: inputs, output: outputs, name: this.fresh(`n_${opType}`), attribute, domain });
    return outputs;
  }

  /** serialises the model: IR 8, opset 17 (+ com.microsoft 1 when used) */
  toBytes(docString: string): Uint8Array {
    return encodeModel(this.toModel(docString));
  }

  /** the model as a protobuf object, for transforms before encoding (float16.ts) */
  toModel(docString: string): onnxProto.onnx.IModelProto {
    const opsetImport = [{ domain: '', version: OPSET }];
    if (this.usesMs) opsetImport.push({ domain: MS_DOMAIN, version: 1 });
    return onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'genload',
      producerVersion: '1',
      docString,
      opsetImport,
      graph: {
        name: this.name,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    });
  }
}

export function encodeModel(model: onnxProto.onnx.IModelProto): Uint8Array {
  return onnx.ModelProto.encode(model).finish();
}

function typeOf(data: TypedData): ElemType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof BigInt64Array) return 'int64';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Uint8Array) return 'uint8';
  return 'int32';
}

function valueInfo(name: string, type: ElemType, dims: Dim[]): onnxProto.onnx.IValueInfoProto {
  const dim = dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType: elemCode[type], shape: { dim } } } };
}

function attribute1(name: string, value: Attr): onnxProto.onnx.IAttributeProto {
  if (typeof value === 'number') return { name, type: AT.INT, i: value };
  if (typeof value === 'string') return { name, type: AT.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: AT.INTS, ints: value };
  if ('float' in value) return { name, type: AT.FLOAT, f: value.float };
  return { name, type: AT.FLOATS, floats: value.floats };
}
