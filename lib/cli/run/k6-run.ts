// Runs k6 for a load run: one process writing samples.json.gz, or INSTANCES
// processes on k6's execution segments (lib/cli/distributed), merged exactly
// from their raw samples. A signal is forwarded once; returns k6's exit code.

import { join } from 'node:path';
import { startSegments } from '../distributed/run-segments.ts';
import { startK6 } from '../k6/k6-process.ts';
import type { Interrupts } from './signals.ts';
import { RUN_FILE } from '../run-folder/names.ts';

export interface K6RunInput {
  k6Path: string;
  script: string;
  args: readonly string[];
  env: Readonly<Record<string, string>>;
  runDir: string;
  instances: number;
  interrupts: Interrupts;
  log: (line: string) => void;
}

export async function runK6(o: K6RunInput): Promise<number> {
  if (o.instances > 1) {
    o.log(`running ${o.instances} k6 instances on execution segments`);
    const segments = startSegments({
      k6Path: o.k6Path,
      args: o.args,
      script: o.script,
      env: o.env,
      instances: o.instances,
      runDir: o.runDir,
      echo: true,
    });
    o.interrupts.forward(segments.interrupt);
    return (await segments.done).k6ExitCode;
  }
  const handle = startK6({
    k6Path: o.k6Path,
    args: [...o.args, '--out', `json=${join(o.runDir, RUN_FILE.samples)}`, o.script],
    env: o.env,
    cwd: o.runDir,
    logPath: join(o.runDir, RUN_FILE.k6Log),
    echo: true,
  });
  o.interrupts.forward(handle.interrupt);
  return handle.exited;
}
