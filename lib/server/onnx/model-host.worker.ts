// Worker entry (bundled to .build/workers/model-host.worker.js): owns its own
// InferenceSessions and the KV caches of the LLM sequences pinned to it, and
// runs one request at a time. Inference never runs on the main thread.
import ort from 'onnxruntime-node';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { KvCache } from './kv-cache.ts';
import { encodePng, toRgb } from '../pipelines/png.ts';
import {
  transferList,
  type LlmSeqStep,
  type PngResult,
  type PngSpec,
  type TensorData,
  type WorkerInit,
  type WorkerReply,
  type WorkerRequest,
} from './protocol.ts';
import { createSessions } from './session-options.ts';

const init = workerData as WorkerInit;
const port = parentPort!;
const caches = new Map<string, KvCache>();

function send(reply: WorkerReply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(reply, transfer);
}

function toTensor(t: TensorData): ort.Tensor {
  return new ort.Tensor(t.type, t.data, t.dims as number[]);
}

function fromTensor(t: ort.Tensor): TensorData {
  return { type: t.type as TensorData['type'], dims: [...t.dims], data: t.data as Float32Array | BigInt64Array };
}

async function llmStep(
  session: ort.InferenceSession,
  key: string,
  seqs: readonly LlmSeqStep[],
): Promise<Record<string, TensorData>> {
  const shape = init.llm[key]!;
  let cache = caches.get(key);
  if (!cache) caches.set(key, (cache = new KvCache(shape)));
  const step = cache.buildStep(seqs);
  const B = seqs.length;
  const { heads, headDim, layers } = shape;
  const P = step.pastLength;
  const S = step.seqLength;
  const feeds: Record<string, ort.Tensor> = {
    input_ids: new ort.Tensor('int64', step.inputIds, [B, S]),
    position_ids: new ort.Tensor('int64', step.positionIds, [B, S]),
    attn_bias: new ort.Tensor('float32', step.attnBias, [B, 1, S, P + S]),
  };
  for (let l = 0; l < layers; l++) {
    feeds[`past_key_${l}`] = new ort.Tensor('float32', step.pastKeys[l]!, [B, heads, P, headDim]);
    feeds[`past_value_${l}`] = new ort.Tensor('float32', step.pastValues[l]!, [B, heads, P, headDim]);
  }
  const out = await session.run(feeds);
  const keys = Array.from({ length: layers }, (_, l) => out[`present_key_${l}`]!.data as Float32Array);
  const values = Array.from({ length: layers }, (_, l) => out[`present_value_${l}`]!.data as Float32Array);
  cache.append(
    seqs.map((s) => s.seqId),
    P,
    S,
    keys,
    values,
  );
  return { logits: fromTensor(out.logits!) };
}

/** every image of a [B, 3, H, W] decoder output as PNG, encoded concurrently (sharp works off this thread) */
async function toPngs(t: ort.Tensor, spec: PngSpec): Promise<PngResult> {
  const started = performance.now();
  const pixels = t.data as Float32Array;
  const count = t.dims[0]!;
  const images = await Promise.all(
    Array.from({ length: count }, (_, k) =>
      encodePng(toRgb(pixels, k, spec.heightPx, spec.widthPx), spec.widthPx, spec.heightPx),
    ),
  );
  return { images, pngMs: performance.now() - started };
}

async function handle(msg: WorkerRequest, sessions: Map<string, ort.InferenceSession>): Promise<void> {
  if (msg.kind === 'crash') {
    setImmediate(() => {
      throw new Error('crash requested (test hook)');
    });
    return;
  }
  if (msg.kind === 'exit') process.exit(0);
  if (msg.kind === 'llm-free') {
    for (const cache of caches.values()) for (const id of msg.seqIds) cache.free(id);
    return;
  }
  const session = sessions.get(msg.session);
  if (!session) return send({ kind: 'failed', id: msg.id, error: `session: unknown ${msg.session}` });
  const started = performance.now();
  try {
    let outputs: Record<string, TensorData>;
    let pngs: PngResult | undefined;
    let runMs: number;
    if (msg.kind === 'llm-step') {
      outputs = await llmStep(session, msg.session, msg.seqs);
      runMs = performance.now() - started;
    } else {
      const feeds = Object.fromEntries(Object.entries(msg.feeds).map(([k, v]) => [k, toTensor(v)]));
      const out = await session.run(feeds);
      runMs = performance.now() - started;
      outputs = Object.fromEntries(msg.outputs.map((name) => [name, fromTensor(out[name]!)]));
      if (msg.png !== undefined) pngs = await toPngs(out[msg.png.output]!, msg.png);
    }
    const transfer = transferList(Object.values(outputs));
    for (const png of pngs?.images ?? [])
      if (png.buffer instanceof ArrayBuffer && !transfer.includes(png.buffer)) transfer.push(png.buffer);
    send(
      pngs === undefined
        ? { kind: 'result', id: msg.id, runMs, outputs }
        : { kind: 'result', id: msg.id, runMs, outputs, pngs },
      transfer,
    );
  } catch (err) {
    send({ kind: 'failed', id: msg.id, error: err instanceof Error ? err.message : String(err) });
  }
}

try {
  // Linux: pid 0 = this thread only; set before the sessions create their threads, which inherit it
  if (init.nice) setPriority(0, init.nice);
  const loaded = await createSessions(init.sessions, init.provider, init.threads);
  // messages are handled strictly in order: a chain of promises
  let chain = Promise.resolve();
  port.on('message', (msg: WorkerRequest) => {
    chain = chain.then(() => handle(msg, loaded.sessions));
  });
  send({
    kind: 'ready',
    provider: loaded.provider,
    ...(loaded.fallbackReason ? { fallbackReason: loaded.fallbackReason } : {}),
  });
} catch (err) {
  send({ kind: 'init-error', error: err instanceof Error ? err.message : String(err) });
}
