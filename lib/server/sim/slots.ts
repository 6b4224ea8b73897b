// A fixed number of slots handed out first come, first served. A waiter whose
// signal aborts leaves the queue; a released slot goes straight to the next
// waiter, so the count of busy slots never exceeds the limit.
// Each grant carries a start time on the scheduling clock: a waiter starts at
// the moment the slot became free by schedule (release's freeAtMs), not when
// the late timer ran, so timer lateness does not eat into capacity.

export class Slots {
  private busy = 0;
  private readonly waiters: { grant: (freeAtMs: number) => void; model: string; arrivedMs: number }[] = [];

  constructor(readonly count: number) {}

  get inUse(): number {
    return this.busy;
  }

  /** waiting requests per model */
  waitingByModel(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const w of this.waiters) out[w.model] = (out[w.model] ?? 0) + 1;
    return out;
  }

  /** resolves with the scheduled start time when a slot is granted; rejects with the signal's reason on abort */
  acquire(model: string, signal: AbortSignal, nowMs: number): Promise<number> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.busy < this.count && this.waiters.length === 0) {
      this.busy++;
      return Promise.resolve(nowMs);
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        model,
        arrivedMs: nowMs,
        grant: (freeAtMs: number) => {
          signal.removeEventListener('abort', onAbort);
          resolve(Math.max(waiter.arrivedMs, freeAtMs));
        },
      };
      const onAbort = () => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** freeAtMs: when the holder's work ended by schedule (never later than now) */
  release(freeAtMs: number): void {
    const next = this.waiters.shift();
    if (next) next.grant(freeAtMs);
    else this.busy = Math.max(0, this.busy - 1);
  }
}
