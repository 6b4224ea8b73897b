// Dynamic batching of denoiser steps, as Triton's dynamic batcher does: items
// with the same key (model and latent size) wait together; a batch leaves when
// it is full (maxBatchSize, counted in images) or its oldest item has waited
// maxQueueDelayMs. It also leaves at once when every active request of that key
// is already waiting, since nobody else could join. Each request has at most one
// item queued: it advances one step per batched call.
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

  constructor(
    private readonly policy: BatchPolicy,
    /** requests of a key in progress (queued here or elsewhere in their pipeline) */
    private readonly activeCount: (key: string) => number,
    private readonly runBatch: (workerId: number, items: T[]) => Promise<void>,
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

  next(workerId: number, nowMs: number): Poll {
    if (this.items.length === 0) return null;
    const keys = [...new Set(this.items.map((it) => it.key))]; // ordered by oldest head (FIFO)
    let retryAtMs = Infinity;
    for (const key of keys) {
      const queued = this.items.filter((it) => it.key === key);
      const images = queued.reduce((s, it) => s + it.size, 0);
      const oldest = queued[0]!.enqueuedMs;
      const ready = images >= this.policy.maxBatchSize || nowMs - oldest >= this.policy.maxQueueDelayMs || queued.length >= this.activeCount(key);
      if (!ready) {
        retryAtMs = Math.min(retryAtMs, oldest + this.policy.maxQueueDelayMs);
        continue;
      }
      const batch = this.take(queued);
      const job: Job = { run: () => this.runBatch(workerId, batch) };
      return { job };
    }
    return { retryAtMs };
  }

  /** FIFO up to maxBatchSize images; the first item always goes, even if larger */
  private take(queued: T[]): T[] {
    const batch: T[] = [];
    let images = 0;
    for (const it of queued) {
      if (batch.length > 0 && images + it.size > this.policy.maxBatchSize) break;
      batch.push(it);
      images += it.size;
    }
    for (const it of batch) this.items.splice(this.items.indexOf(it), 1);
    return batch;
  }
}
