// What the image and text pipelines share inside the onnx engine.
import { EngineError, type EngineObserver } from '../engine/types.ts';
import type { Dispatcher, FifoSource } from './dispatcher.ts';
import type { WorkerPool } from './pool.ts';

export interface Runtime {
  readonly pool: WorkerPool;
  readonly dispatcher: Dispatcher;
  /** one-off model calls: text encoder, VAE decoder */
  readonly fifo: FifoSource;
  readonly observer: EngineObserver;
  /** requests per model not yet running / running, for stats() */
  readonly waiting: Record<string, number>;
  readonly running: Record<string, number>;
  /** image requests in progress per batching key (model|latent size): a batch need not wait for more */
  readonly activeByKey: Record<string, number>;
}

export const nowMs = (): number => performance.now();

/** an abort reason that is not an EngineError becomes 'cancelled' */
export function abortError(signal: AbortSignal): EngineError {
  const reason: unknown = signal.reason;
  if (reason instanceof EngineError) return reason;
  return new EngineError(
    'cancelled',
    `request cancelled: ${reason instanceof Error ? reason.message : String(reason)}`,
  );
}

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw abortError(signal);
}

export function bump(counter: Record<string, number>, key: string, by: number): void {
  counter[key] = (counter[key] ?? 0) + by;
}

/** runs `fn` as a one-off job on the next idle worker; resolves with its result */
export function submit<T>(rt: Runtime, fn: (workerId: number) => Promise<T>): Promise<T> {
  const p = new Promise<T>((resolve, reject) => {
    rt.fifo.push({ run: (w) => fn(w).then(resolve, (e: unknown) => reject(e)) });
  });
  rt.dispatcher.pump();
  return p;
}
