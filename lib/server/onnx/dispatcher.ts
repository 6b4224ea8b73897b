// Gives work to idle workers, one job per worker at a time. Work comes from
// sources polled round-robin; a source may answer "nothing yet, ask again at
// time T" (a batch waiting out its queue delay). Because a busy worker takes
// nothing, requests arriving under load pile up in the sources and leave as
// larger batches — the way Triton's dynamic batcher waits for a free instance.

export interface Job {
  /** runs on the worker; the worker counts as busy until this settles */
  run(workerId: number): Promise<void>;
}

export type Poll = { job: Job } | { retryAtMs: number } | null;

export interface WorkSource {
  /** idleWorkers: idle workers at this moment, `workerId` included (a source may share its work among them) */
  next(workerId: number, nowMs: number, idleWorkers: number): Poll;
}

export interface DispatcherDeps {
  readonly workers: number;
  /** false while a crashed worker is being replaced */
  isAlive(workerId: number): boolean;
  nowMs(): number;
  setTimer(fn: () => void, delayMs: number): { cancel(): void };
}

export class Dispatcher {
  private readonly busy: boolean[];
  readonly busyMs: number[];
  private readonly sources: WorkSource[] = [];
  private turn = 0;
  private timer: { cancel(): void; atMs: number } | undefined;

  constructor(private readonly deps: DispatcherDeps) {
    this.busy = new Array<boolean>(deps.workers).fill(false);
    this.busyMs = new Array<number>(deps.workers).fill(0);
  }

  add(source: WorkSource): void {
    this.sources.push(source);
  }

  idleWorkers(): number {
    return this.busy.filter((b, w) => !b && this.deps.isAlive(w)).length;
  }

  private soon = false;

  /**
   * pump() after the current microtasks: work queued as a model call returns
   * (each request of the batch queues its next step in its own microtask) is
   * then seen at once and can be shared among the workers idle by then.
   */
  pumpSoon(): void {
    if (this.soon) return;
    this.soon = true;
    setImmediate(() => {
      this.soon = false;
      this.pump();
    });
  }

  /** call whenever work may have become available */
  pump(): void {
    let retryAtMs = Infinity;
    for (let w = 0; w < this.busy.length; w++) {
      if (this.busy[w] || !this.deps.isAlive(w)) continue;
      const now = this.deps.nowMs();
      const idle = this.idleWorkers();
      for (let i = 0; i < this.sources.length; i++) {
        const source = this.sources[(this.turn + i) % this.sources.length]!;
        const poll = source.next(w, now, idle);
        if (poll === null) continue;
        if ('retryAtMs' in poll) {
          retryAtMs = Math.min(retryAtMs, poll.retryAtMs);
          continue;
        }
        this.turn = (this.turn + i + 1) % this.sources.length;
        this.start(w, poll.job);
        break;
      }
    }
    if (retryAtMs < Infinity) this.wakeAt(retryAtMs);
  }

  private start(workerId: number, job: Job): void {
    this.busy[workerId] = true;
    const startedMs = this.deps.nowMs();
    job
      .run(workerId)
      .catch(() => {}) // a job reports its own failure to its requests
      .finally(() => {
        this.busy[workerId] = false;
        this.busyMs[workerId]! += this.deps.nowMs() - startedMs;
        this.pump();
      });
  }

  private wakeAt(atMs: number): void {
    if (this.timer && this.timer.atMs <= atMs) return;
    this.timer?.cancel();
    const t = this.deps.setTimer(
      () => {
        this.timer = undefined;
        this.pump();
      },
      Math.max(0, atMs - this.deps.nowMs()),
    );
    this.timer = { cancel: t.cancel, atMs };
  }
}

/** a FIFO of one-off jobs (text encoder, VAE decoder); any worker */
export class FifoSource implements WorkSource {
  private readonly jobs: Job[] = [];

  push(job: Job): void {
    this.jobs.push(job);
  }

  get length(): number {
    return this.jobs.length;
  }

  next(): Poll {
    const job = this.jobs.shift();
    return job ? { job } : null;
  }
}
