// Runs k6 as a child in its own process group, so a terminal Ctrl-C reaches only
// the CLI, which forwards exactly one SIGINT: k6 then stops gracefully and still
// runs handleSummary (a second SIGINT would make k6 stop hard, without it).
// Output goes both to the terminal and to <runDir>/k6.log.

import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { findOnPath } from '../../server/metrics/gpu.ts';

export interface K6RunOptions {
  k6Path: string;
  args: readonly string[];
  env: Readonly<Record<string, string>>;
  cwd: string;
  logPath: string;
  /** echo k6 output to our stdout/stderr */
  echo: boolean;
}

export interface K6Handle {
  readonly pid: number;
  /** resolves with k6's exit code (128 + signal number when killed by a signal) */
  readonly exited: Promise<number>;
  /** ask k6 to stop gracefully (SIGINT once) */
  interrupt(): void;
}

const SIGNAL_NUMBERS: Record<string, number> = { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

/** Environment variable: a CPU list (taskset -c syntax) every k6 process is pinned to, e.g. 0 or 0-1,3. */
export const K6_CPUS_ENV = 'K6_CPUS';

/**
 * The command that starts k6: k6 itself, or `taskset -c <cpus> k6 ...` when
 * K6_CPUS is set (taskset execs k6, so the pid is k6's). Pinning gives k6 a
 * known CPU allowance, which the generator check reads back (affinity mask).
 */
export function k6Command(
  k6Path: string,
  args: readonly string[],
  cpus: string | undefined = process.env[K6_CPUS_ENV],
): { command: string; args: string[] } {
  if (cpus === undefined || cpus.trim() === '') return { command: k6Path, args: [...args] };
  if (!/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(cpus.trim()))
    throw new Error(`${K6_CPUS_ENV}: must be a CPU list such as 0 or 0-1,3 (taskset -c syntax), but is '${cpus}'`);
  const taskset = findOnPath('taskset');
  if (taskset === undefined)
    throw new Error(
      `${K6_CPUS_ENV}: pinning k6 needs taskset (util-linux) on PATH, but none was found (value '${cpus}')`,
    );
  return { command: taskset, args: ['-c', cpus.trim(), k6Path, ...args] };
}

export function startK6(opts: K6RunOptions): K6Handle {
  const cmd = k6Command(opts.k6Path, opts.args);
  const log = createWriteStream(opts.logPath, { flags: 'a' });
  const child = spawn(cmd.command, cmd.args, {
    cwd: opts.cwd,
    env: { ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    log.write(chunk);
    if (opts.echo) process.stdout.write(chunk);
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    log.write(chunk);
    if (opts.echo) process.stderr.write(chunk);
  });
  let interrupted = false;
  const exited = new Promise<number>((resolveExit, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      // resolve once k6.log is on disk: the caller reads it right away (config problems, reports)
      log.end(() => resolveExit(code ?? 128 + (SIGNAL_NUMBERS[signal ?? ''] ?? 1)));
    });
  });
  return {
    pid: child.pid ?? -1,
    exited,
    interrupt: () => {
      if (interrupted) return;
      interrupted = true;
      child.kill('SIGINT');
    },
  };
}
