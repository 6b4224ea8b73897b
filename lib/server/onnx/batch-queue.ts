// Dynamic batching of denoiser steps, as Triton's dynamic batcher does: items
// with the same key (model and latent size) wait together; a batch leaves when
// it is full (maxBatchSize, counted in images) or its oldest item has waited
// maxQueueDelayMs. It also leaves at once when nobody else could join: every
// active request of that key is either queued or inside a batch being computed.
// Each request has at most one item queued: it advances one step per batched call.
//
// Queued work is shared among the idle workers: a worker takes at most
// ceil(queued images / idle workers), so 4 requests on 2 idle workers run as
// 2 + 2 in parallel rather than 4 on one worker while the other idles. On a CPU
// the cost of a denoiser call grows about linearly with its batch (measured:
// bench/server-ort/batching.ts), so an idle worker is worth more than a bigger batch.
import type { Job, Poll, WorkSource } from './dispatcher.ts';

export interface BatchItem {
  readonly key: string;
  /** images this item adds to the batch */
  readonly size: number;
  readonly enqueuedMs: number;
}

export interface BatchPolicy {
  readonly maxBatchSize: number;
  readonly maxQueueDelayMs: number;
}

export class BatchQueue<T extends BatchItem> implements WorkSource {
  private readonly items: T[] = [];
  /** images per key inside batches being computed (they cannot join a new batch before it ends) */
  private readonly inBatch = new Map<string, number>();

  constructor(
    private readonly policy: BatchPolicy,
    /** requests of a key in progress (queued here or elsewhere in their pipeline) */
    private readonly activeCount: (key: string) => number,
    /** computes a batch; calls `release` once the model call returned, before handing results back */
    private readonly runBatch: (workerId: number, items: T[], release: () => void) => Promise<void>,
  ) {}

  push(item: T): void {
    this.items.push(item);
  }

  /** removes a queued item (cancelled request); false if it already left in a batch */
  remove(item: T): boolean {
    const i = this.items.indexOf(item);
    if (i >= 0) this.items.splice(i, 1);
    return i >= 0;
  }

  waiting(key: string): number {
    return this.items.filter((it) => it.key === key).length;
  }

  /**
   * @param idleWorkers idle workers at this moment, this one included: the
   *   queued images of a key are shared among them
   */
  next(workerId: number, nowMs: number, idleWorkers = 1): Poll {
    if (this.items.length === 0) return null;
    const keys = [...new Set(this.items.map((it) => it.key))]; // ordered by oldest head (FIFO)
    let retryAtMs = Infinity;
    for (const key of keys) {
      const queued = this.items.filter((it) => it.key === key);
      const images = queued.reduce((s, it) => s + it.size, 0);
      const oldest = queued[0]!.enqueuedMs;
      const nobodyElse = queued.length + (this.inBatch.get(key) ?? 0) >= this.activeCount(key);
      const ready = images >= this.policy.maxBatchSize || nowMs - oldest >= this.policy.maxQueueDelayMs || nobodyElse;
      if (!ready) {
        retryAtMs = Math.min(retryAtMs, oldest + this.policy.maxQueueDelayMs);
        continue;
      }
      const cap = Math.min(this.policy.maxBatchSize, Math.ceil(images / Math.max(1, idleWorkers)));
      const batch = this.take(queued, cap);
      const count = batch.length;
      this.inBatch.set(key, (this.inBatch.get(key) ?? 0) + count);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        this.inBatch.set(key, this.inBatch.get(key)! - count);
      };
      const job: Job = { run: () => this.runBatch(workerId, batch, release).finally(release) };
      return { job };
    }
    return { retryAtMs };
  }

  /** FIFO up to `cap` images; the first item always goes, even if larger */
  private take(queued: T[], cap: number): T[] {
    const batch: T[] = [];
    let images = 0;
    for (const it of queued) {
      if (batch.length > 0 && images + it.size > cap) break;
      batch.push(it);
      images += it.size;
    }
    for (const it of batch) this.items.splice(this.items.indexOf(it), 1);
    return batch;
  }
}
