// `genload load` (make load SCENARIO=<name>): resolve the flags and environment
// into one typed plan (lib/cli/run-plan) and hand it to the load executor
// (lib/cli/run/load-run.ts), which runs k6 into a fresh run folder and maps the
// outcome to an exit code.

import { resolveRun } from '../run-plan/resolve.ts';
import { executeLoad } from '../run/load-run.ts';

export interface LoadOptions {
  flags: Record<string, string | undefined>;
  env: NodeJS.ProcessEnv;
  now?: Date;
  log?: (line: string) => void;
}

export async function runLoad(opts: LoadOptions): Promise<number> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`genload: ${line}\n`));
  return executeLoad(resolveRun(opts.flags, opts.env), { log, ...(opts.now !== undefined ? { now: opts.now } : {}) });
}
