// Poisson and gamma arrivals on top of k6's constant-arrival-rate executor,
// which starts iteration i at exactly i / rate seconds. Pure.
//
// Arrivals are planned in windows of n iterations (W = n / rate seconds). Within
// a window the n arrival times are the cumulative sums of n+1 gaps drawn from the
// distribution (exponential for Poisson, gamma for bursty traffic), scaled to W:
// for Poisson this is exactly a Poisson process conditioned on n arrivals in W.
// Every arrival is shifted one window later, so iteration i's delay
//   W + arrival_j - j / rate
// is always within (0, 2W): no iteration is ever late by construction, and the
// offered rate stays exact per window. Cost: about rate × W extra busy VUs.
// Limit: burstiness longer than one window is not reproduced.

import type { Arrival } from '../../shared/run-config.ts';
import { gamma, mixSeed, seededUniform } from '../../shared/stats/random.ts';

export interface ArrivalPlan {
  arrival: Arrival;
  rateRps: number;
  /** gamma shape (1 = Poisson-like variability, below 1 burstier) */
  gammaShape: number;
  seed: number;
  /** iterations per window */
  windowArrivals: number;
}

export const DEFAULT_WINDOW_ARRIVALS = 32;

/** Offsets (seconds from the window start) of the n arrivals of window w. */
export function windowOffsetsSeconds(plan: ArrivalPlan, window: number): number[] {
  const n = plan.windowArrivals;
  const windowS = n / plan.rateRps;
  const u = seededUniform(mixSeed(plan.seed, window));
  const shape = plan.arrival === 'gamma' ? plan.gammaShape : 1;
  const gaps = Array.from({ length: n + 1 }, () => gamma(u, shape, 1));
  const total = gaps.reduce((a, b) => a + b, 0);
  const out: number[] = [];
  let sum = 0;
  for (let j = 0; j < n; j++) {
    sum += gaps[j] ?? 0;
    out.push((sum / total) * windowS);
  }
  return out;
}

/** Seconds iteration i (0-based, per scenario) should sleep before sending; 0 for constant arrivals. */
export class ArrivalSchedule {
  private cachedWindow = -1;
  private offsets: number[] = [];

  constructor(private readonly plan: ArrivalPlan) {}

  delaySeconds(iteration: number): number {
    if (this.plan.arrival === 'constant') return 0;
    const n = this.plan.windowArrivals;
    const w = Math.floor(iteration / n);
    const j = iteration - w * n;
    if (w !== this.cachedWindow) {
      this.offsets = windowOffsetsSeconds(this.plan, w);
      this.cachedWindow = w;
    }
    const windowS = n / this.plan.rateRps;
    return windowS + (this.offsets[j] ?? 0) - j / this.plan.rateRps;
  }

  /** Seconds after the scenario start at which iteration i is planned to send. */
  plannedSendSeconds(iteration: number): number {
    return iteration / this.plan.rateRps + this.delaySeconds(iteration);
  }

  /** Extra VUs the delays keep busy, to add to pre-allocation. */
  static extraVus(plan: Pick<ArrivalPlan, 'arrival' | 'windowArrivals'>): number {
    return plan.arrival === 'constant' ? 0 : 2 * plan.windowArrivals;
  }
}
