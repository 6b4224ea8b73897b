// Messages between the engine (main thread) and a model-host worker. Tensor
// buffers travel as transferables (moved, not copied).

export type TensorType = 'float32' | 'int64';
export interface TensorData {
  readonly type: TensorType;
  readonly dims: readonly number[];
  readonly data: Float32Array | BigInt64Array;
}

export interface SessionSpec {
  /** e.g. "tiny-sd-fp32/denoiser" */
  readonly key: string;
  readonly path: string;
}

/** passed as workerData */
export interface WorkerInit {
  readonly workerId: number;
  readonly provider: 'cpu' | 'cuda' | 'webgpu';
  readonly threads: number;
  /** nice value of the worker thread (and the ORT threads it creates); 0 = as the main thread */
  readonly nice?: number;
  readonly sessions: readonly SessionSpec[];
  /** LLM shape facts the worker needs to build KV inputs, per session key */
  readonly llm: Readonly<Record<string, { layers: number; heads: number; headDim: number }>>;
}

export interface LlmSeqStep {
  readonly seqId: number;
  /** tokens to append: the whole prompt for prefill, one token for decode */
  readonly tokens: readonly number[];
}

/**
 * Post-processing of a decoder output in the worker: the [B, 3, H, W] tensor in
 * [-1, 1] named `output` becomes B PNGs, so neither the pixel conversion nor the
 * encoder call runs on the HTTP event loop (and the float tensor, 4 bytes a
 * channel, never crosses the thread boundary).
 */
export interface PngSpec {
  readonly output: string;
  readonly heightPx: number;
  readonly widthPx: number;
}

export type WorkerRequest =
  | {
      readonly kind: 'run';
      readonly id: number;
      readonly session: string;
      readonly feeds: Readonly<Record<string, TensorData>>;
      readonly outputs: readonly string[];
      readonly png?: PngSpec;
    }
  | { readonly kind: 'llm-step'; readonly id: number; readonly session: string; readonly seqs: readonly LlmSeqStep[] }
  | { readonly kind: 'llm-free'; readonly seqIds: readonly number[] }
  /** test hook and fault injection: the worker throws an uncaught error, as a native crash would end it */
  | { readonly kind: 'crash' }
  /** ends the worker from its own JS (terminating it while ORT runs native code can abort the process) */
  | { readonly kind: 'exit' };

export type WorkerReply =
  | { readonly kind: 'ready'; readonly provider: string; readonly fallbackReason?: string }
  | { readonly kind: 'init-error'; readonly error: string }
  | {
      readonly kind: 'result';
      readonly id: number;
      readonly runMs: number;
      readonly outputs: Readonly<Record<string, TensorData>>;
      readonly pngs?: PngResult;
    }
  | { readonly kind: 'failed'; readonly id: number; readonly error: string };

export interface PngResult {
  readonly images: readonly Uint8Array[];
  /** pixel conversion and encoding in the worker, ms */
  readonly pngMs: number;
}

export function transferList(tensors: Iterable<TensorData>): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const t of tensors)
    if (t.data.buffer instanceof ArrayBuffer && !out.includes(t.data.buffer)) out.push(t.data.buffer);
  return out;
}
