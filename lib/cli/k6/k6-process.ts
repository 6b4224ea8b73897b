// Runs k6 as a child in its own process group, so a terminal Ctrl-C reaches only
// the CLI, which forwards exactly one SIGINT: k6 then stops gracefully and still
// runs handleSummary (a second SIGINT would make k6 stop hard, without it).
// Output goes both to the terminal and to <runDir>/k6.log.

import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';

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

export function startK6(opts: K6RunOptions): K6Handle {
  const log = createWriteStream(opts.logPath, { flags: 'a' });
  const child = spawn(opts.k6Path, [...opts.args], {
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
