// The KV cache of the LLM sequences a worker holds, and the batched inputs of
// one step built from it. Each sequence keeps, per layer, K and V laid out
// [heads, capacity, headDim]; a batch pads every sequence's past to the longest
// one (Pmax) and masks the padding through attn_bias.

export interface LlmShape {
  readonly layers: number;
  readonly heads: number;
  readonly headDim: number;
}

export const MASKED = -1e9;

class SeqCache {
  length = 0;
  capacity: number;
  keys: Float32Array[];
  values: Float32Array[];

  constructor(
    private readonly shape: LlmShape,
    capacity: number,
  ) {
    this.capacity = capacity;
    const size = shape.heads * capacity * shape.headDim;
    this.keys = Array.from({ length: shape.layers }, () => new Float32Array(size));
    this.values = Array.from({ length: shape.layers }, () => new Float32Array(size));
  }

  reserve(length: number): void {
    if (length <= this.capacity) return;
    const next = Math.max(length, this.capacity * 2);
    const { heads, headDim } = this.shape;
    const grow = (old: Float32Array) => {
      const out = new Float32Array(heads * next * headDim);
      for (let h = 0; h < heads; h++)
        out.set(
          old.subarray(h * this.capacity * headDim, (h * this.capacity + this.length) * headDim),
          h * next * headDim,
        );
      return out;
    };
    this.keys = this.keys.map(grow);
    this.values = this.values.map(grow);
    this.capacity = next;
  }
}

export interface StepInputs {
  readonly pastLength: number;
  readonly seqLength: number;
  readonly inputIds: BigInt64Array;
  readonly positionIds: BigInt64Array;
  readonly attnBias: Float32Array;
  readonly pastKeys: Float32Array[];
  readonly pastValues: Float32Array[];
}

export class KvCache {
  private readonly seqs = new Map<number, SeqCache>();

  constructor(private readonly shape: LlmShape) {}

  get size(): number {
    return this.seqs.size;
  }

  lengthOf(seqId: number): number {
    return this.seqs.get(seqId)?.length ?? 0;
  }

  free(seqId: number): void {
    this.seqs.delete(seqId);
  }

  /** inputs for appending `tokens[b]` to each sequence; every entry must have the same token count */
  buildStep(steps: readonly { seqId: number; tokens: readonly number[] }[]): StepInputs {
    const { heads, headDim, layers } = this.shape;
    const B = steps.length;
    const S = steps[0]!.tokens.length;
    const caches = steps.map((s) => {
      let c = this.seqs.get(s.seqId);
      if (!c) this.seqs.set(s.seqId, (c = new SeqCache(this.shape, Math.max(16, s.tokens.length * 2))));
      return c;
    });
    const P = Math.max(...caches.map((c) => c.length));
    const total = P + S;
    const inputIds = new BigInt64Array(B * S);
    const positionIds = new BigInt64Array(B * S);
    const attnBias = new Float32Array(B * S * total).fill(MASKED);
    const pastKeys = Array.from({ length: layers }, () => new Float32Array(B * heads * P * headDim));
    const pastValues = Array.from({ length: layers }, () => new Float32Array(B * heads * P * headDim));
    caches.forEach((c, b) => {
      for (let i = 0; i < S; i++) {
        inputIds[b * S + i] = BigInt(steps[b]!.tokens[i]!);
        positionIds[b * S + i] = BigInt(c.length + i);
        const row = (b * S + i) * total;
        attnBias.fill(0, row, row + c.length); // the sequence's own past
        attnBias.fill(0, row + P, row + P + i + 1); // causal within the new tokens
      }
      for (let l = 0; l < layers; l++) {
        for (let h = 0; h < heads; h++) {
          const from = h * c.capacity * headDim;
          const to = (b * heads + h) * P * headDim;
          pastKeys[l]!.set(c.keys[l]!.subarray(from, from + c.length * headDim), to);
          pastValues[l]!.set(c.values[l]!.subarray(from, from + c.length * headDim), to);
        }
      }
    });
    return { pastLength: P, seqLength: S, inputIds, positionIds, attnBias, pastKeys, pastValues };
  }

  /** copies the new entries (positions P..P+S-1 of present [B, heads, P+S, headDim]) into each sequence */
  append(
    seqIds: readonly number[],
    pastLength: number,
    seqLength: number,
    presentKeys: Float32Array[],
    presentValues: Float32Array[],
  ): void {
    const { heads, headDim, layers } = this.shape;
    const total = pastLength + seqLength;
    seqIds.forEach((id, b) => {
      const c = this.seqs.get(id)!;
      c.reserve(c.length + seqLength);
      for (let l = 0; l < layers; l++) {
        for (let h = 0; h < heads; h++) {
          const from = ((b * heads + h) * total + pastLength) * headDim;
          const to = (h * c.capacity + c.length) * headDim;
          c.keys[l]!.set(presentKeys[l]!.subarray(from, from + seqLength * headDim), to);
          c.values[l]!.set(presentValues[l]!.subarray(from, from + seqLength * headDim), to);
        }
      }
      c.length += seqLength;
    });
  }
}
