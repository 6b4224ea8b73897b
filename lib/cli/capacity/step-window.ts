// How long a capacity step measures: sized from the variance of the SLO's
// percentile measured at the nearest level already run, so steps are short
// where latency is stable and full length where it is not.
//
// The percentile's standard error follows from order statistics: the rank of
// the q-quantile among n samples has standard deviation sqrt(n q (1 - q)),
// and one rank near p95 is worth (p99 - p95) / (0.04 n) ms of latency (the
// local slope of the measured distribution, the steeper side, so the estimate
// errs long). Relative to p95 that is
//   rse = (p99 - p95) × sqrt(q (1 - q) / n) / (0.04 × p95),   q = 0.95,
// falling as 1/sqrt(n). The next step gets the window whose request count
// brings rse down to half the search tolerance, between minSeconds and the
// configured DURATION. A queue that grew through the nearest window (its
// halves' medians differ by more than the tolerance) or a nearest step that
// did not pass says latency is not stable there: full window. Confirmations,
// levels that would close the interval and levels at the measured ceiling
// always run the full window (search.ts): variance says nothing of a queue that
// grows slowly just over the capacity, and the reported level is only ever one
// that passed at full length.

import type { LatencySummary, StepMeasurement } from '../../shared/capacity/measurement.ts';

export interface WindowBounds {
  minSeconds: number;
  maxSeconds: number;
  toleranceRatio: number;
}

/** Relative standard error of a step's p95 latency estimate (worst latency key), or null when it cannot be told. */
export function p95RelativeError(latency: Readonly<Record<string, LatencySummary>>): number | null {
  const q = 0.95;
  let worst: number | null = null;
  for (const l of Object.values(latency)) {
    if (l.count < 2 || l.p95Ms <= 0) return null;
    const slopeMsPerRank = Math.max(0, l.p99Ms - l.p95Ms) / (0.04 * l.count);
    const rse = (slopeMsPerRank * Math.sqrt(l.count * q * (1 - q))) / l.p95Ms;
    worst = Math.max(worst ?? 0, rse);
  }
  return worst;
}

/** Relative change of the median between the window's halves (queue growth shows as a rise). */
export function halvesDrift(m: Pick<StepMeasurement, 'halvesP50Ms'>): number | null {
  const { first, second } = m.halvesP50Ms;
  if (first === null || second === null || first <= 0) return null;
  return Math.abs(second - first) / first;
}

export interface WindowChoice {
  seconds: number;
  /** why this length, for the progress line and capacity.json */
  why: string;
}

/**
 * The measurement window for a step at `rateRps`, from the measurement `nearest`
 * (the passing step closest below it, or null) and whether that one passed.
 */
export function windowFor(rateRps: number, nearest: StepMeasurement | null, b: WindowBounds): WindowChoice {
  const full = (why: string): WindowChoice => ({ seconds: b.maxSeconds, why });
  if (nearest === null) return full('full: no stable level measured yet');
  const drift = halvesDrift(nearest);
  if (drift === null || drift > b.toleranceRatio)
    return full(
      `full: median moved ${drift === null ? 'unknown' : `${(drift * 100).toFixed(1)} %`} within the nearest step`,
    );
  const rse = p95RelativeError(nearest.latency);
  if (rse === null || nearest.requests === 0) return full('full: no latency spread measured');
  const targetRse = b.toleranceRatio / 2;
  const neededRequests = nearest.requests * (rse / targetRse) ** 2;
  const seconds = Math.min(b.maxSeconds, Math.max(b.minSeconds, neededRequests / rateRps));
  return {
    seconds: Math.round(seconds * 10) / 10,
    why: `p95 ±${(rse * 100).toFixed(1)} % over ${nearest.requests} requests at the nearest level`,
  };
}
