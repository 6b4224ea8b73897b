// The target of a run: a remote URL probed before anything starts, or the local
// reference server started into the run folder (and stopped when the run ends).

import { join } from 'node:path';
import { TargetUnreachableError } from '../errors.ts';
import type { TargetPlan } from '../run-plan/plan.ts';
import { startManagedServer } from './managed-server.ts';
import { probeUrl } from './probe.ts';
import { RUN_FILE } from '../run-folder/names.ts';

export interface RunningTarget {
  readonly url: string;
  /** true when genload started the reference server for this run */
  readonly managed: boolean;
  /** the reference server's pid (its CPU and memory are monitored) */
  readonly serverPid?: number;
  stop(): Promise<void>;
}

/** GET <url><readyPath> answers (any status) within 5 s, or TargetUnreachableError: no load is sent. A managed target is started later. */
export async function probeTarget(target: TargetPlan): Promise<void> {
  if (target.endpoint.kind !== 'remote') return;
  const url = target.endpoint.url;
  const probe = await probeUrl(`${url}${target.readyPath}`, 5000);
  if (!probe.reachable)
    throw new TargetUnreachableError(
      `target ${url} is not answering (${probe.error}) after ${(probe.elapsedMs / 1000).toFixed(1)} s; no load was sent`,
    );
}

/** The remote URL as it is, or the reference server started with its log in <runDir>/server.log. */
export async function startTarget(
  target: TargetPlan,
  runDir: string,
  log: (line: string) => void,
): Promise<RunningTarget> {
  const endpoint = target.endpoint;
  if (endpoint.kind === 'remote') return { url: endpoint.url, managed: false, stop: async () => {} };
  log(`no TARGET: starting the local reference server (engine ${endpoint.engine})`);
  const server = await startManagedServer({ engine: endpoint.engine, logPath: join(runDir, RUN_FILE.serverLog) });
  log(`reference server ready at ${server.url}`);
  return {
    url: server.url,
    managed: true,
    serverPid: server.pid,
    stop: async () => {
      await server.stop();
    },
  };
}
