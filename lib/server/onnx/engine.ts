// The `onnx` engine: ONNX Runtime in a pool of worker threads, with dynamic
// batching of denoiser steps and continuous batching of LLM decode steps.
// Models are built from TypeScript (lib/server/models) and cached on disk.
import {
  EngineError,
  type Engine,
  type EngineObserver,
  type ImageRequest,
  type ModelCard,
  type Precision,
  type TextRequest,
  type TokenEvent,
} from '../engine/types.ts';
import { families, modelCard, modelSpec, type Family, type ModelSpec } from '../models/catalog.ts';
import { defaultCacheDir, ensureModel } from '../models/cache.ts';
import { presets, type SizePreset } from '../models/presets.ts';
import { BatchQueue } from './batch-queue.ts';
import { Dispatcher, FifoSource } from './dispatcher.ts';
import { generateImages, runDenoiseBatch, type DenoiseItem } from './images.ts';
import { LlmSource } from './llm-source.ts';
import { WorkerPool } from './pool.ts';
import type { SessionSpec, WorkerInit } from './protocol.ts';
import { nowMs, submit, type Runtime } from './runtime.ts';
import type { ProviderName } from './session-options.ts';
import { generateText, runLlmStep, type TextSeq } from './text.ts';
import { warmUp } from './warmup.ts';

export interface OnnxEngineOptions {
  readonly provider: ProviderName;
  readonly workers: number;
  /** intra-op threads of each worker's sessions (cores given to that worker) */
  readonly threadsPerWorker: number;
  /**
   * nice value of the worker threads (0-19, default 0): above 0 the HTTP event
   * loop wins the CPU over inference when the cores are saturated
   */
  readonly workerNice?: number;
  readonly maxBatchSize: number;
  readonly maxQueueDelayMs: number;
  readonly preset: SizePreset;
  /** default: defaultPrecisions(provider); fp16 is dropped from it again when the provider falls back to cpu */
  readonly precisions?: readonly Precision[];
  /** model families to load (default: both) */
  readonly families?: readonly Family[];
  readonly observer?: EngineObserver;
  /** default: $GENLOAD_CACHE/models or ~/.cache/genload/models */
  readonly cacheDir?: string;
}

export interface OnnxEngine extends Engine {
  /** why the requested provider was replaced by cpu, if it was */
  readonly fallbackReason: string | undefined;
  /** test hook: makes a worker die as a native crash would (an uncaught error, handled after its current call) */
  crashWorker(workerId: number): void;
  /**
   * fault injection (faults.crashAfterRequests): kills a worker in the middle
   * of its current model call; returns its id, or -1 when the engine is not running
   */
  killBusyWorker(reason: string): number;
  /**
   * fault injection (faults.stallProbability): takes the next idle worker and
   * keeps it busy, as a hung model call would, until the signal aborts;
   * resolves when the worker is free again
   */
  holdWorker(signal: AbortSignal): Promise<void>;
}

/**
 * precisions served when none are configured: fp32 and int8 (CPU-friendly),
 * plus fp16 on a GPU provider (on the CPU provider fp16 runs wrapped in casts,
 * slower than fp32; it can still be asked for explicitly)
 */
export function defaultPrecisions(provider: ProviderName): readonly Precision[] {
  return provider === 'cpu' ? ['fp32', 'int8'] : ['fp32', 'int8', 'fp16'];
}

const FP16_DROPPED = 'fp16 dropped from the default precisions';

export function createOnnxEngine(opts: OnnxEngineOptions): OnnxEngine {
  const observer = opts.observer ?? {};
  const precisions = opts.precisions ?? defaultPrecisions(opts.provider);
  let specs: ModelSpec[] = (opts.families ?? families).flatMap((f) =>
    precisions.map((p) => modelSpec(f, p, opts.preset)),
  );
  let cards: ModelCard[] = specs.map(modelCard);
  let fp16Dropped = false;
  const sizes = presets[opts.preset];
  let pool: WorkerPool | undefined;
  let rt: Runtime | undefined;
  let queue: BatchQueue<DenoiseItem> | undefined;
  let llm: LlmSource<TextSeq> | undefined;
  let closing = false;
  const inFlight = new Set<Promise<unknown>>();

  function spec(model: string, kind: ModelCard['kind']): ModelSpec {
    const s = specs.find((x) => x.id === model);
    if (!s || modelCard(s).kind !== kind) {
      const valid = cards.filter((c) => c.kind === kind).map((c) => c.id);
      throw new EngineError(
        'invalid_request',
        `model: unknown ${kind} model ${JSON.stringify(model)}; valid: ${valid.join(', ')}`,
      );
    }
    return s;
  }

  function ready(): Runtime {
    if (closing) throw new EngineError('cancelled', 'engine is closing');
    if (!rt) throw new EngineError('internal', 'engine not started');
    return rt;
  }

  function track<T>(p: Promise<T>): Promise<T> {
    inFlight.add(p);
    p.finally(() => inFlight.delete(p)).catch(() => {});
    return p;
  }

  async function start(): Promise<void> {
    const sessions: SessionSpec[] = [];
    const llmShapes: Record<string, WorkerInit['llm'][string]> = {};
    const cacheDir = opts.cacheDir ?? defaultCacheDir();
    for (const s of specs) {
      for (const g of ensureModel(s, cacheDir)) sessions.push({ key: `${s.id}/${g.graph}`, path: g.path });
      if (s.family === 'tiny-llm') {
        const l = sizes.llm;
        llmShapes[`${s.id}/decoder`] = { layers: l.layers, heads: l.heads, headDim: l.dModel / l.heads };
      }
    }
    const inits: WorkerInit[] = Array.from({ length: opts.workers }, (_, workerId) => ({
      workerId,
      provider: opts.provider,
      threads: opts.threadsPerWorker,
      nice: opts.workerNice ?? 0,
      sessions,
      llm: llmShapes,
    }));
    const p = new WorkerPool(inits, {
      onCrash: (workerId, reason) => {
        observer.onWorkerCrash?.({ workerId, reason });
        const err = new EngineError('worker_crashed', `worker ${workerId} crashed: ${reason}`);
        for (const seq of llm?.onWorker(workerId) ?? []) seq.fail(err);
      },
      onReplaced: () => rt?.dispatcher.pump(),
    });
    pool = p;
    try {
      await p.ready();
    } catch (err) {
      await p.close(); // the workers that did load: a server left not-ready must not keep them
      throw err;
    }
    if (opts.precisions === undefined && p.fallbackReason !== undefined && precisions.includes('fp16')) {
      // its sessions stay loaded (on cpu) but are not served: the pool's session list is fixed at start
      specs = specs.filter((s) => s.precision !== 'fp16');
      cards = specs.map(modelCard);
      fp16Dropped = true;
    }
    const dispatcher = new Dispatcher({
      workers: opts.workers,
      isAlive: (w) => p.isAlive(w),
      nowMs,
      setTimer: (fn, delayMs) => {
        const t = setTimeout(fn, delayMs);
        return { cancel: () => clearTimeout(t) };
      },
    });
    const runtime: Runtime = {
      pool: p,
      dispatcher,
      fifo: new FifoSource(),
      observer,
      waiting: {},
      running: {},
      activeByKey: {},
    };
    const policy = { maxBatchSize: opts.maxBatchSize, maxQueueDelayMs: opts.maxQueueDelayMs };
    queue = new BatchQueue<DenoiseItem>(
      policy,
      (key) => runtime.activeByKey[key] ?? 0,
      (w, items, release) => runDenoiseBatch(runtime, w, items, sizes.diffusion, release),
    );
    llm = new LlmSource<TextSeq>(opts.maxBatchSize, (w, steps, prefill) => runLlmStep(runtime, w, steps, prefill));
    dispatcher.add(runtime.fifo);
    dispatcher.add(queue);
    dispatcher.add(llm);
    rt = runtime;
    await warmUp(runtime, cards, sizes);
  }

  return {
    kind: 'onnx',
    get provider() {
      return pool?.provider ?? opts.provider;
    },
    get fallbackReason() {
      const reason = pool?.fallbackReason;
      return reason !== undefined && fp16Dropped ? `${reason}; ${FP16_DROPPED}` : reason;
    },
    models: () => cards,
    start,
    generateImages(req: ImageRequest, signal: AbortSignal) {
      const runtime = ready();
      spec(req.model, 'diffusion');
      const p = generateImages(runtime, queue!, sizes.diffusion, req, signal);
      runtime.dispatcher.pump();
      return track(p);
    },
    generateText(req: TextRequest, signal: AbortSignal, onToken: (t: TokenEvent) => void) {
      const runtime = ready();
      spec(req.model, 'llm');
      return track(generateText(runtime, llm!, sizes.llm, req, signal, onToken));
    },
    stats: () => ({
      waiting: { ...rt?.waiting },
      running: { ...rt?.running },
      workerBusyMs: rt ? [...rt.dispatcher.busyMs] : [],
    }),
    crashWorker: (workerId) => pool?.post(workerId, { kind: 'crash' }),
    killBusyWorker: (reason) => pool?.kill(reason) ?? -1,
    holdWorker: (signal) =>
      // a hold still queued when the signal aborts takes its worker for no time at all
      submit(
        ready(),
        () =>
          new Promise<void>((resolve) =>
            signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true }),
          ),
      ),
    async close(deadlineMs: number) {
      closing = true;
      const deadline = new Promise((r) => setTimeout(r, deadlineMs).unref());
      await Promise.race([Promise.allSettled([...inFlight]), deadline]);
      await pool?.close();
    },
  };
}
