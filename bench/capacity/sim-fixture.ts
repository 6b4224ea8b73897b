// A reference server on the `sim` engine whose capacity is known exactly:
// every image request holds one of SLOTS slots for STEPS × STEP_MS, so the
// server completes SLOTS / (STEPS × STEP_MS) requests per second at most and,
// with evenly spaced arrivals below that rate, nothing ever queues. With an SLO
// bound above the fixed cost (sim-slo.json: p90 < 1.3 × cost) the SLO-bounded
// maximum is that capacity. Used by the accuracy benchmark and the e2e test.

import { join } from 'node:path';
import { repoRoot } from '../../lib/cli/paths.ts';
import { startManagedServer, type ManagedServer } from '../../lib/cli/run/managed-server.ts';

export const SIM = { slots: 10, steps: 5, stepMs: 100 } as const;

/** requests per second: slots / (steps × stepMs) = 10 / 0.5 s = 20 */
export const KNOWN_CAPACITY_RPS = SIM.slots / ((SIM.steps * SIM.stepMs) / 1000);

export const SIM_SLO = join(repoRoot, 'bench/capacity/sim-slo.json');
export const IMPOSSIBLE_SLO = join(repoRoot, 'bench/capacity/impossible-slo.json');

/** requests per second a fixture with `slots` slots completes at most (the same 5 × 100 ms per request) */
export function knownCapacityRps(slots: number): number {
  return slots / ((SIM.steps * SIM.stepMs) / 1000);
}

/** `slots`: 10 by default (20 requests/s); the speed bench uses 5, 20 and 80 (10, 40 and 160 requests/s). */
export function startSimServer(logPath: string, slots: number = SIM.slots): Promise<ManagedServer> {
  return startManagedServer({
    engine: 'sim',
    logPath,
    // a deep queue: overload shows as latency (the SLO), not as shed requests
    extraArgs: [
      '--sim.slots',
      String(slots),
      '--sim.step-ms',
      String(SIM.stepMs),
      '--queue.max-waiting-per-model',
      '1000',
    ],
    readyTimeoutMs: 60_000,
  });
}

/** Load flags that make the capacity search send the fixture's image requests. */
export function simWorkloadFlags(target: string): Record<string, string> {
  return { scenario: 'diffusion', target, slo: SIM_SLO, steps: String(SIM.steps), size: '64' };
}
