// Readiness and shutdown state shared by the routes, the job runner and main.ts:
// starting (not ready) -> ready -> draining (not ready; new arrivals get 503;
// admitted requests and accepted jobs, queued or running, finish) -> the
// shutdown signal aborts whatever is left after the drain deadline.
import { EngineError } from '../engine/types.ts';

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
  /** admitted inference requests and accepted jobs (queued or running) not finished */
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

  /** cancels everything still in flight: the reason says the drain deadline passed */
  abortInFlight(deadlineMs: number): void {
    this.shutdownController.abort(
      new EngineError(
        'cancelled',
        `server shut down: not finished within the drain deadline (shutdownDeadlineMs ${deadlineMs})`,
      ),
    );
  }

  /**
   * not ready, new arrivals refused; waits up to deadlineMs for the work in
   * flight, then aborts what is left and gives it graceMs to answer.
   * Resolves true when everything finished within the deadline
   */
  async drain(deadlineMs: number, graceMs = 1000): Promise<boolean> {
    this.beginDrain();
    const idle = await this.waitIdle(deadlineMs);
    if (!idle) {
      this.abortInFlight(deadlineMs);
      await this.waitIdle(graceMs);
    }
    return idle;
  }
}
