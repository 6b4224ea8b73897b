// Admission control: a bounded queue per model. The HTTP layer counts the
// requests it handed to the engine (in flight, per model); the engine reports
// how many of them it is computing (running). The difference is the number
// waiting; when it reaches queue.maxWaitingPerModel, a new request is shed
// with 429 + Retry-After (or 503, by config) instead of waiting unboundedly.
// Retry-After is estimated from the waiting count and the model's measured
// completion pace (retry-after.ts).
import type { ServerResponse } from 'node:http';
import type { ServerConfig } from '../config/schema.ts';
import { EngineError, type Engine } from '../engine/types.ts';
import { HttpError } from './errors.ts';
import type { Lifecycle } from './lifecycle.ts';
import { CompletionPace, queueWaitMs, retryAfterSeconds } from './retry-after.ts';

export interface Ticket {
  readonly model: string;
  /** aborted on deadline, client disconnect, job cancel or shutdown */
  readonly signal: AbortSignal;
  /** frees the admission slot and the timers; idempotent */
  release(): void;
}

export class Admission {
  private readonly inFlight = new Map<string, number>();
  private readonly pace: CompletionPace;

  constructor(
    private readonly engine: Engine,
    private readonly config: Pick<ServerConfig, 'queue'>,
    private readonly lifecycle: Lifecycle,
    /** ms clock of the completion pace; injected by tests */
    clockMs?: () => number,
  ) {
    this.pace = new CompletionPace(clockMs);
  }

  /** requests handed to the engine and not yet finished, all models */
  get total(): number {
    let sum = 0;
    for (const n of this.inFlight.values()) sum += n;
    return sum;
  }

  waiting(model: string): number {
    return Math.max(0, (this.inFlight.get(model) ?? 0) - (this.engine.stats().running[model] ?? 0));
  }

  /** seconds after which a request of `model` shed now would likely get a slot */
  retryAfterSeconds(model: string): number {
    const { retryAfterSeconds: fallbackSeconds, retryAfterMaxSeconds: maxSeconds } = this.config.queue;
    return retryAfterSeconds({
      waitMs: queueWaitMs(this.waiting(model), this.pace.pace(model)),
      fallbackSeconds,
      maxSeconds,
    });
  }

  /**
   * throws HttpError 429/503 when the model's queue is full or the server drains.
   * `accepted`: work the server already accepted (a queued job): never shed, and
   * admitted while draining, since the drain is meant to finish it
   */
  admit(model: string, deadlineMs: number, extraSignals: readonly AbortSignal[] = [], accepted = false): Ticket {
    if (this.lifecycle.draining && !accepted)
      throw new HttpError(503, 'server_shutting_down', 'server is shutting down; retry on another instance');
    const { maxWaitingPerModel, shedStatus } = this.config.queue;
    if (!accepted && this.waiting(model) >= maxWaitingPerModel) {
      const seconds = this.retryAfterSeconds(model);
      throw new HttpError(
        shedStatus,
        'queue_full',
        `queue of model ${model} is full (${maxWaitingPerModel} waiting); retry after ${seconds} s`,
        null,
        {
          'retry-after': String(seconds),
        },
      );
    }
    this.inFlight.set(model, (this.inFlight.get(model) ?? 0) + 1);
    this.lifecycle.enter();
    const deadline = new AbortController();
    const timer = setTimeout(
      () => deadline.abort(new EngineError('deadline_exceeded', `request deadline of ${deadlineMs} ms exceeded`)),
      deadlineMs,
    );
    const signal = AbortSignal.any([deadline.signal, this.lifecycle.shutdownSignal, ...extraSignals]);
    let released = false;
    return {
      model,
      signal,
      release: () => {
        if (released) return;
        released = true;
        clearTimeout(timer);
        const left = (this.inFlight.get(model) ?? 1) - 1;
        if (left > 0) this.inFlight.set(model, left);
        else this.inFlight.delete(model);
        this.pace.released(model, left);
        this.lifecycle.leave();
      },
    };
  }
}

/**
 * A signal that aborts when the client goes away before the response is
 * complete. Uses the response's 'close' event: request.signal aborts as soon
 * as a POST body has been read, so it cannot tell a disconnect.
 */
export function disconnectSignal(res: ServerResponse): AbortSignal {
  const ctrl = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) ctrl.abort(new EngineError('cancelled', 'client disconnected'));
  });
  return ctrl.signal;
}
