// `genload capacity` (make capacity SCENARIO=<workload>): find the highest
// request rate the target sustains inside the SLO, with evidence, and plan
// replicas and cost from it. The plan is resolved once (lib/cli/capacity/search-plan.ts)
// and handed to the capacity executor (lib/cli/capacity/run-capacity.ts).

import { resolveCapacityRun } from '../capacity/search-plan.ts';
import { executeCapacity } from '../capacity/run-capacity.ts';

export async function runCapacity(
  flags: Record<string, string | undefined>,
  env: NodeJS.ProcessEnv = process.env,
  log: (line: string) => void = (l) => process.stderr.write(`genload: ${l}\n`),
): Promise<number> {
  return executeCapacity(resolveCapacityRun(flags, env), { log, env });
}
