// Runs async jobs: at most jobs.concurrency at once, FIFO, each with
// jobs.deadlineMs. A job goes through the same admission counting as a
// synchronous request (so queue metrics stay right) but is never shed there:
// its bound is the job store. On finish, the webhook (if any) gets the job.
// Shutdown: an accepted job, queued or running, counts once as in flight for
// the drain (Lifecycle) from submission to settlement (while queued here, then
// through its admission ticket), so a job queued before
// SIGTERM still runs; past the drain deadline the ones left are failed with
// code server_shutting_down.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { EngineError, type ImageRequest, type TextRequest } from '../engine/types.ts';
import { errorBody, HttpError, toHttpError } from '../http/errors.ts';
import { retryAfterSeconds } from '../http/retry-after.ts';
import { imageTimings, textTimings } from '../http/server-timing.ts';
import { imageResponse, newId, textResponse } from '../openai/responses.ts';
import type { RouteDeps } from '../routes/deps.ts';
import { JobStore, jobView, type Job } from './store.ts';
import { deliverWebhook, type DeliveryOutcome } from './webhook.ts';

export type JobWork = { kind: 'image'; request: ImageRequest } | { kind: 'completion'; request: TextRequest };

export interface RunnerOptions {
  readonly clockMs?: () => number;
  readonly deliver?: (url: string, payload: unknown) => Promise<DeliveryOutcome>;
}

export class JobRunner {
  readonly store: JobStore;
  private readonly pending: { job: Job; work: JobWork }[] = [];
  private running = 0;
  private readonly clockMs: () => number;
  private readonly deliver: (url: string, payload: unknown) => Promise<DeliveryOutcome>;

  constructor(
    private readonly deps: RouteDeps,
    options: RunnerOptions = {},
  ) {
    this.clockMs = options.clockMs ?? Date.now;
    this.deliver = options.deliver ?? ((url, payload) => deliverWebhook(url, payload));
    this.store = new JobStore(deps.config.jobs.maxJobs, deps.config.jobs.ttlMs, this.clockMs);
    const shutdown = deps.lifecycle.shutdownSignal;
    // running jobs see the same signal through their admission ticket; the queued ones are failed here
    shutdown.addEventListener(
      'abort',
      () => this.failQueued(shutdown.reason instanceof Error ? shutdown.reason.message : 'server shut down'),
      { once: true },
    );
  }

  submit(work: JobWork, webhookUrl?: string): Job {
    if (this.deps.lifecycle.draining)
      throw new HttpError(503, 'server_shutting_down', 'server is shutting down; no new jobs');
    const job: Job = {
      id: `job-${randomUUID()}`,
      kind: work.kind,
      status: 'queued',
      createdMs: this.clockMs(),
      controller: new AbortController(),
      ...(webhookUrl === undefined ? {} : { webhookUrl }),
    };
    if (!this.store.add(job)) {
      const {
        shedStatus,
        retryAfterSeconds: fallbackSeconds,
        retryAfterMaxSeconds: maxSeconds,
      } = this.deps.config.queue;
      // a place frees when the soonest finished job expires (jobs.ttlMs)
      const seconds = retryAfterSeconds({ waitMs: this.store.msUntilPlace(), fallbackSeconds, maxSeconds });
      throw new HttpError(
        shedStatus,
        'job_store_full',
        `job store is full (${this.deps.config.jobs.maxJobs} jobs); retry after ${seconds} s`,
        null,
        {
          'retry-after': String(seconds),
        },
      );
    }
    // counted for the drain while queued; its admission ticket counts it once it runs (run, settle)
    this.deps.lifecycle.enter();
    this.pending.push({ job, work });
    this.pump();
    return job;
  }

  /** cancels a queued or running job; false if it had already finished */
  cancel(job: Job): boolean {
    if (job.status !== 'queued' && job.status !== 'running') return false;
    const i = this.pending.findIndex((p) => p.job === job);
    if (i >= 0) this.pending.splice(i, 1);
    job.controller.abort(new EngineError('cancelled', 'job cancelled'));
    this.settle(job, 'cancelled', undefined, {
      message: 'job cancelled by DELETE',
      type: 'invalid_request_error',
      param: null,
      code: 'cancelled',
    });
    return true;
  }

  /** the app is closing: queued jobs fail, running ones are aborted and fail */
  close(): void {
    const message = 'server closed before the job finished';
    this.failQueued(message);
    for (const job of this.store.all()) {
      if (job.status !== 'running') continue;
      job.controller.abort(new EngineError('cancelled', message));
      this.settle(job, 'failed', undefined, shutdownError(message));
    }
  }

  private failQueued(message: string): void {
    for (const { job } of this.pending.splice(0)) this.settle(job, 'failed', undefined, shutdownError(message));
  }

  private pump(): void {
    while (this.running < this.deps.config.jobs.concurrency && this.pending.length > 0) {
      const next = this.pending.shift()!;
      this.running++;
      void this.run(next.job, next.work).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async run(job: Job, work: JobWork): Promise<void> {
    const { engine, admission, metrics, config, lifecycle } = this.deps;
    job.status = 'running';
    job.startedMs = this.clockMs();
    const startMs = performance.now();
    try {
      // accepted: admitted even while the server drains
      const ticket = admission.admit(work.request.model, config.jobs.deadlineMs, [job.controller.signal], true);
      lifecycle.leave(); // entered in submit(): the ticket counts the job from here
      try {
        if (work.kind === 'image') {
          const r = await engine.generateImages(work.request, ticket.signal);
          metrics.image(work.request.model, r.timings, work.request.n, work.request.steps, performance.now() - startMs);
          this.settle(job, 'succeeded', imageResponse(r, imageTimings(r.timings, performance.now() - startMs)));
        } else {
          const r = await engine.generateText(work.request, ticket.signal, () => {});
          metrics.text(work.request.model, r, performance.now() - startMs);
          this.settle(
            job,
            'succeeded',
            textResponse(
              'completion',
              newId('completion'),
              work.request.model,
              r,
              textTimings(r.timings, performance.now() - startMs),
            ),
          );
        }
      } finally {
        ticket.release();
      }
    } catch (err) {
      metrics.failure(work.request.model, err instanceof EngineError ? err.code : 'internal');
      this.settle(job, 'failed', undefined, errorBody(toHttpError(err, lifecycle.draining)).error);
    }
  }

  /** the first settlement wins (a cancelled job stays cancelled when its generation rejects later) */
  private settle(job: Job, status: Job['status'], result?: unknown, error?: Job['error']): void {
    if (job.status !== 'queued' && job.status !== 'running') return;
    if (job.status === 'queued') this.deps.lifecycle.leave(); // entered in submit(); a running job is counted by its ticket
    job.status = status;
    job.finishedMs = this.clockMs();
    if (result !== undefined) job.result = result;
    if (error !== undefined) job.error = error;
    if (job.webhookUrl !== undefined) {
      const url = job.webhookUrl;
      void this.deliver(url, jobView(job)).then((outcome) => (job.webhook = { ...outcome }));
    }
  }
}

function shutdownError(message: string): NonNullable<Job['error']> {
  return { message, type: 'server_error', param: null, code: 'server_shutting_down' };
}
