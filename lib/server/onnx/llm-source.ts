// Iteration-level (continuous) batching of LLM steps. A sequence lives on one
// worker (its KV cache is there). Between two steps of a worker, sequences that
// finished have left and new ones have joined: a new sequence's prefill runs
// first (one per iteration, prompts differ in length), then one decode step for
// every ready sequence of the same model on that worker, up to maxBatchSize.
import type { Poll, WorkSource } from './dispatcher.ts';

export interface LlmSeq {
  readonly id: number;
  readonly model: string;
  readonly workerId: number;
  /** tokens to feed at the next step; null while a step is in flight or after the end */
  pending: number[] | null;
  prefilled: boolean;
}

export class LlmSource<S extends LlmSeq> implements WorkSource {
  private readonly seqs: S[] = [];

  constructor(
    private readonly maxBatchSize: number,
    private readonly runStep: (
      workerId: number,
      steps: { seq: S; tokens: number[] }[],
      prefill: boolean,
    ) => Promise<void>,
  ) {}

  /** the alive worker holding the fewest sequences */
  place(workers: number, isAlive: (w: number) => boolean): number {
    let best = -1;
    let bestCount = Infinity;
    for (let w = 0; w < workers; w++) {
      if (!isAlive(w)) continue;
      const count = this.seqs.filter((s) => s.workerId === w).length;
      if (count < bestCount) [best, bestCount] = [w, count];
    }
    return best < 0 ? 0 : best;
  }

  add(seq: S): void {
    this.seqs.push(seq);
  }

  remove(seq: S): void {
    const i = this.seqs.indexOf(seq);
    if (i >= 0) this.seqs.splice(i, 1);
  }

  onWorker(workerId: number): S[] {
    return this.seqs.filter((s) => s.workerId === workerId);
  }

  waitingPrefill(model: string): number {
    return this.seqs.filter((s) => s.model === model && !s.prefilled).length;
  }

  next(workerId: number): Poll {
    const ready = this.seqs.filter((s) => s.workerId === workerId && s.pending !== null);
    if (ready.length === 0) return null;
    const fresh = ready.find((s) => !s.prefilled);
    const batch = fresh ? [fresh] : ready.filter((s) => s.model === ready[0]!.model).slice(0, this.maxBatchSize);
    const steps = batch.map((seq) => ({ seq, tokens: seq.pending! }));
    for (const s of batch) s.pending = null; // in flight: not picked again
    return { job: { run: () => this.runStep(workerId, steps, fresh !== undefined) } };
  }
}
