// A bounded in-memory job store. Finished jobs expire ttlMs after they
// finished; a submission when maxJobs are kept (after expiry) is refused.
// The clock is injected so expiry is tested without waiting.

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export const finishedStatuses: readonly JobStatus[] = ['succeeded', 'failed', 'cancelled'];

export interface Job {
  readonly id: string;
  readonly kind: 'image' | 'completion';
  status: JobStatus;
  readonly createdMs: number;
  startedMs?: number;
  finishedMs?: number;
  /** the same body the synchronous endpoint would have returned */
  result?: unknown;
  error?: { message: string; type: string; param: string | null; code: string | null };
  readonly webhookUrl?: string;
  webhook?: { delivered: boolean; attempts: number; status?: number; error?: string };
  /** aborts the job's generation (DELETE, shutdown) */
  readonly controller: AbortController;
}

export class JobStore {
  private readonly jobs = new Map<string, Job>();

  constructor(
    private readonly maxJobs: number,
    private readonly ttlMs: number,
    private readonly clockMs: () => number = Date.now,
  ) {}

  get size(): number {
    return this.jobs.size;
  }

  /** drops finished jobs older than the TTL */
  sweep(): void {
    const now = this.clockMs();
    for (const [id, job] of this.jobs) {
      if (job.finishedMs !== undefined && now - job.finishedMs > this.ttlMs) this.jobs.delete(id);
    }
  }

  /** false when the store is full */
  add(job: Job): boolean {
    this.sweep();
    if (this.jobs.size >= this.maxJobs) return false;
    this.jobs.set(job.id, job);
    return true;
  }

  /**
   * ms until the next finished job expires and frees a place; undefined when
   * every kept job is still queued or running (the wait then depends on them)
   */
  msUntilPlace(): number | undefined {
    const now = this.clockMs();
    let soonest: number | undefined;
    for (const job of this.jobs.values()) {
      if (job.finishedMs === undefined) continue;
      const left = Math.max(0, job.finishedMs + this.ttlMs - now);
      if (soonest === undefined || left < soonest) soonest = left;
    }
    return soonest;
  }

  get(id: string): Job | undefined {
    this.sweep();
    return this.jobs.get(id);
  }

  all(): IterableIterator<Job> {
    return this.jobs.values();
  }
}

/** the public JSON view of a job (GET /v1/jobs/:id) */
export function jobView(job: Job) {
  const seconds = (ms: number | undefined) => (ms === undefined ? null : Math.floor(ms / 1000));
  return {
    id: job.id,
    object: 'genload.job',
    kind: job.kind,
    status: job.status,
    created_at: seconds(job.createdMs),
    started_at: seconds(job.startedMs),
    finished_at: seconds(job.finishedMs),
    result: job.result ?? null,
    error: job.error ?? null,
    webhook:
      job.webhookUrl === undefined
        ? null
        : { url: job.webhookUrl, ...(job.webhook ?? { delivered: false, attempts: 0 }) },
  };
}
