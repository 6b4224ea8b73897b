// Event-loop lag since the previous scrape. perf_hooks' monitorEventLoopDelay
// samples the time between two timer callbacks scheduled `resolutionMs` apart,
// so every sample includes the resolution itself (idle: about 10.1 ms with a
// 10 ms resolution). The lag is that sample minus the resolution, floored at 0.
import { monitorEventLoopDelay } from 'node:perf_hooks';

export const lagQuantiles = [0.5, 0.9, 0.99, 1] as const;

export interface LagWindow {
  /** lag in seconds per quantile (1 = max) since the previous read; resets the window */
  read(): Map<number, number>;
  close(): void;
}

/** a sample of the delay histogram (ns) -> lag (s) */
export function lagSeconds(sampleNs: number, resolutionMs: number): number {
  return Math.max(0, sampleNs / 1e6 - resolutionMs) / 1000;
}

export function eventLoopLag(resolutionMs = 10): LagWindow {
  const h = monitorEventLoopDelay({ resolution: resolutionMs });
  h.enable();
  return {
    read() {
      const out = new Map<number, number>();
      for (const q of lagQuantiles)
        out.set(q, h.count > 0 ? lagSeconds(q === 1 ? h.max : h.percentile(q * 100), resolutionMs) : 0);
      h.reset();
      return out;
    },
    close: () => h.disable(),
  };
}
