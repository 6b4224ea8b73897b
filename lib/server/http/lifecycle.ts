// Readiness and shutdown state shared by the routes and main.ts:
// starting (not ready) -> ready -> draining (not ready, in-flight work finishes)
// -> shutdown signal aborts whatever is left after the drain deadline.

export class Lifecycle {
  private readyState = false;
  private notReadyReason = 'engine starting: loading models and warming up';
  private drainingState = false;
  private readonly shutdownController = new AbortController();

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
  abortInFlight(): void {
    this.shutdownController.abort(new Error('server shutting down'));
  }
}
