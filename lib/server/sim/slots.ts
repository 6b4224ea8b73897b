// A fixed number of slots handed out first come, first served. A waiter whose
// signal aborts leaves the queue; a released slot goes straight to the next
// waiter, so the count of busy slots never exceeds the limit.

export class Slots {
  private busy = 0;
  private readonly waiters: { grant: () => void; model: string }[] = [];

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

  /** resolves when a slot is granted; rejects with the signal's reason on abort */
  acquire(model: string, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.busy < this.count && this.waiters.length === 0) {
      this.busy++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        model,
        grant: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
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

  release(): void {
    const next = this.waiters.shift();
    if (next) next.grant();
    else this.busy = Math.max(0, this.busy - 1);
  }
}
