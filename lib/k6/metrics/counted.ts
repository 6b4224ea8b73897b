// Which Trends genload_samples counts: only those an SLO bounds, so a latency
// threshold on a Trend with no samples fails instead of passing vacuously,
// without one extra k6 metric add per request for every unbounded Trend.

import { TREND } from '../../shared/metrics.ts';
import { BOUNDED_METRICS } from '../../shared/slo/bounds.ts';
import type { Slo } from '../../shared/slo/schema.ts';

export function countedTrends(slo: Slo): ReadonlySet<string> {
  const out = new Set<string>();
  for (const rules of Object.values(slo.classes)) {
    if (rules === undefined) continue;
    for (const metric of BOUNDED_METRICS) if (rules[metric] !== undefined) out.add(TREND[metric]);
  }
  return out;
}
