// Readiness and shutdown state shared by the routes and main.ts:
// starting (not ready) -> ready -> draining (not ready, in-flight work finishes)
// -> shutdown signal aborts whatever is left after the drain deadline.

export class Lifecycle {
  private readyState = false;
  private notReadyReason = 'engine starting: loading models and warming up';
  private drainingState = false;
  private readonly shutdownController = new AbortController();
  private inFlightCount = 0;
  private idleWaiters: (() => void)[] = [];

  get ready(): boolean {
    return this.readyState && !this.drainingState;
  }
  get reason(): string {
    return this.drainingState ? 'server shutting down' : this.notReadyReason;
  }
  get draining(): boolean {
    return this.drainingState;
  }
  /** aborted when the drain deadline passes: every in-flight request is cancelled */
  get shutdownSignal(): AbortSignal {
    return this.shutdownController.signal;
  }

  markReady(): void {
    this.readyState = true;
  }
  markNotReady(reason: string): void {
    this.readyState = false;
    this.notReadyReason = reason;
  }
  beginDrain(): void {
    this.drainingState = true;
  }
  /** inference requests and jobs handed to the engine and not finished */
  get inFlight(): number {
    return this.inFlightCount;
  }
  enter(): void {
    this.inFlightCount++;
  }
  leave(): void {
    this.inFlightCount = Math.max(0, this.inFlightCount - 1);
    if (this.inFlightCount === 0) for (const w of this.idleWaiters.splice(0)) w();
  }

  /** resolves true when nothing is in flight, false if timeoutMs passes first */
  waitIdle(timeoutMs: number): Promise<boolean> {
    if (this.inFlightCount === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.idleWaiters = this.idleWaiters.filter((w) => w !== done);
        resolve(false);
      }, timeoutMs);
      this.idleWaiters.push(done);
    });
  }

  abortInFlight(): void {
    this.shutdownController.abort(new Error('server shutting down'));
  }
}
