// Ctrl-C and SIGTERM during a run: the first one is forwarded (k6 stops
// gracefully and still writes its summary; a capacity search stops its step),
// later ones are ignored so k6 is never stopped hard. Disposed when the run ends.

export interface Interrupts {
  /** a signal arrived */
  readonly interrupted: boolean;
  /** what to call on a signal (the running k6, a search's abort); called at once when one already arrived */
  forward(stop: () => void): void;
  dispose(): void;
}

/** Catches SIGINT and SIGTERM until dispose(); `message` is logged once, on the first signal. */
export function catchInterrupts(log: (line: string) => void, message: string): Interrupts {
  let interrupted = false;
  let stop: (() => void) | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupted) return;
    interrupted = true;
    log(`${signal} received: ${message}`);
    stop?.();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    get interrupted() {
      return interrupted;
    },
    forward(s) {
      stop = s;
      if (interrupted) s();
    },
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
