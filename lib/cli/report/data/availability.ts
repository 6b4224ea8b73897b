// Availability (successful / total requests) and failures by type, over the
// measured stages. Uses genload's request and error counters when the scenario
// recorded them, else k6's http_reqs and http_req_failed (failures then grouped
// by HTTP status).

import { COUNTER, TAG } from '../../../shared/metrics.ts';
import { isMeasured, type SampleTable } from '../../run-folder/samples.ts';

export interface Availability {
  total: number;
  failed: number;
  /** successful / total; NaN when nothing was measured */
  availability: number;
  errorsByType: { type: string; count: number }[];
  /** which metrics the numbers come from */
  source: string;
}

function sumWhere(
  table: SampleTable,
  metric: string,
  keyOf: (tags: Readonly<Record<string, string>>, value: number) => string | undefined,
): Map<string, number> {
  const out = new Map<string, number>();
  const col = table.metrics.get(metric);
  if (col === undefined) return out;
  col.values.forEach((v, i) => {
    const tags = col.tags[i] ?? {};
    if (!isMeasured(tags)) return;
    const key = keyOf(tags, v);
    if (key !== undefined) out.set(key, (out.get(key) ?? 0) + v);
  });
  return out;
}

const total = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);
const sorted = (m: Map<string, number>): { type: string; count: number }[] =>
  [...m.entries()].map(([type, count]) => ({ type, count })).sort((a, b) => b.count - a.count);

export function availabilityOf(table: SampleTable): Availability {
  const requests = total(sumWhere(table, COUNTER.requests, () => 'all'));
  if (requests > 0) {
    const errors = sumWhere(table, COUNTER.errors, (tags) => tags[TAG.errorClass] ?? 'unknown');
    const failed = total(errors);
    return {
      total: requests,
      failed,
      availability: (requests - failed) / requests,
      errorsByType: sorted(errors),
      source: `${COUNTER.requests}, ${COUNTER.errors} by ${TAG.errorClass}`,
    };
  }
  const all = total(sumWhere(table, 'http_reqs', () => 'all'));
  // http_req_failed is a Rate: one sample per request, 1 when it failed
  const errors = sumWhere(table, 'http_req_failed', (tags, v) =>
    v > 0 ? `status ${tags['status'] ?? '?'}` : undefined,
  );
  const failed = total(errors);
  return {
    total: all,
    failed,
    availability: all > 0 ? (all - failed) / all : Number.NaN,
    errorsByType: sorted(errors),
    source: 'http_reqs, http_req_failed by status',
  };
}
