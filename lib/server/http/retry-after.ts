// Retry-After of a shed request: an estimate of when a request arriving now
// would get a slot, instead of a fixed number.
//
// The pace of a model is how often one of its requests completes while it is
// busy: an EWMA of the intervals between consecutive releases of its
// admission tickets, counted only while other requests of that model were
// still in flight (an idle gap is no measure of capacity). Under load this is
// the mean service time divided by the concurrency the engine achieves
// (slots, workers, batching), without knowing either. A shed request would
// have queued behind `waiting` others, so a slot frees for it after
// waiting + 1 completions: (waiting + 1) × pace.

/**
 * weight of the newest interval: about the last 10-20 completions count. The
 * first intervals are averaged plainly (weight 1/n while 1/n > ALPHA), so one
 * short first interval does not pull the pace down for the next twenty
 */
const ALPHA = 0.1;

export interface RetryAfterInput {
  /** the expected wait in ms, undefined when unknown */
  readonly waitMs: number | undefined;
  /** queue.retryAfterSeconds: the answer while the wait is unknown */
  readonly fallbackSeconds: number;
  /** queue.retryAfterMaxSeconds */
  readonly maxSeconds: number;
}

/** the Retry-After of every shed request (queue full, job store full): whole seconds, rounded up, within [1, maxSeconds] */
export function retryAfterSeconds(input: RetryAfterInput): number {
  const { waitMs, fallbackSeconds, maxSeconds } = input;
  const seconds = waitMs === undefined ? fallbackSeconds : Math.ceil(waitMs / 1000);
  return Math.min(maxSeconds, Math.max(1, seconds));
}

/** a request shed from a queue with `waiting` others gets a slot after waiting + 1 completions; undefined while no pace is known */
export function queueWaitMs(waiting: number, paceMs: number | undefined): number | undefined {
  return paceMs === undefined ? undefined : (waiting + 1) * paceMs;
}

/** per-model pace from ticket releases; the clock (ms) is injected by tests */
export class CompletionPace {
  private readonly paceMs = new Map<string, number>();
  private readonly samples = new Map<string, number>();
  /** time of the model's previous release, kept only while it left requests in flight */
  private readonly busySinceMs = new Map<string, number>();

  constructor(private readonly clockMs: () => number = () => performance.now()) {}

  /** a ticket of `model` was released; `stillInFlight` = its requests left in flight after it */
  released(model: string, stillInFlight: number): void {
    const now = this.clockMs();
    const since = this.busySinceMs.get(model);
    if (since !== undefined) {
      const interval = Math.max(0, now - since);
      const n = (this.samples.get(model) ?? 0) + 1;
      this.samples.set(model, n);
      const prev = this.paceMs.get(model) ?? 0;
      this.paceMs.set(model, prev + Math.max(ALPHA, 1 / n) * (interval - prev));
    }
    if (stillInFlight > 0) this.busySinceMs.set(model, now);
    else this.busySinceMs.delete(model);
  }

  pace(model: string): number | undefined {
    return this.paceMs.get(model);
  }
}
