// Descriptive statistics of a sample (mean and nearest-rank-interpolated
// percentiles, as k6 computes its Trend percentiles). Pure.

/** Percentile p (0..100) of already sorted values, linear interpolation between ranks (k6's method). */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo] ?? Number.NaN;
  const b = sorted[hi] ?? Number.NaN;
  return a + (b - a) * (rank - lo);
}

export function mean(values: ArrayLike<number>): number {
  if (values.length === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] ?? 0;
  return sum / values.length;
}

/** Coefficient of variation: standard deviation / mean. */
export function coefficientOfVariation(values: readonly number[]): number {
  const m = mean(values);
  const variance = values.reduce((a, v) => a + (v - m) ** 2, 0) / Math.max(1, values.length - 1);
  return Math.sqrt(variance) / m;
}
