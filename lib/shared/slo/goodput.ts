// Goodput: a request is good when it succeeded and met every per-request limit
// the SLO sets for its class (the vLLM benchmark's definition). Pure.

import type { PerRequestLimits } from './schema.ts';

export interface RequestLatencies {
  e2eMs: number;
  ttftMs?: number;
  tpotMs?: number;
  stepMs?: number;
}

/** true when every limit set is met; a limit on a latency this request did not measure fails it. */
export function goodRequest(ok: boolean, latencies: RequestLatencies, limits: PerRequestLimits | undefined): boolean {
  if (!ok) return false;
  if (limits === undefined) return true;
  for (const key of ['e2eMs', 'ttftMs', 'tpotMs', 'stepMs'] as const) {
    const limit = limits[key];
    if (limit === undefined) continue;
    const value = latencies[key];
    if (value === undefined || value > limit) return false;
  }
  return true;
}
