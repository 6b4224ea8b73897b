// Shared pieces of the end-to-end tier: run the real CLI as a child process and
// serve a real HTTP endpoint on loopback. No fixed sleeps: servers are used once
// listening, children are awaited, every wait has a deadline.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Summary } from '../../lib/shared/summary.ts';
import { repoRoot } from '../../lib/cli/paths.ts';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
}

interface RunOptions {
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
  onSpawn?: (pid: number) => void;
}

/** Run `genload <args>` and collect its output; killed after timeoutMs. */
export function runCli(args: string[], opts: RunOptions = {}): Promise<CliResult> {
  return runProcess(process.execPath, ['--import', 'tsx', join(repoRoot, 'lib/cli/main.ts'), ...args], opts);
}

/** Run `make <args>` in the checkout, as a user would. */
export function runMake(args: string[], opts: RunOptions = {}): Promise<CliResult> {
  return runProcess('make', ['--no-print-directory', '-s', ...args], opts);
}

/** Run any command from the checkout's root; env is added to this process's environment. */
export function runProcess(command: string, args: string[], opts: RunOptions = {}): Promise<CliResult> {
  const started = performance.now();
  return new Promise((resolveRun) => {
    const child = spawn(command, args, {
      cwd: repoRoot,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (child.pid !== undefined) opts.onSpawn?.(child.pid);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolveRun({ code, stdout, stderr, elapsedMs: performance.now() - started });
    });
  });
}

export interface JsonServer {
  url: string;
  requests: number;
  close(): Promise<void>;
}

/** A plain HTTP JSON endpoint on 127.0.0.1 with an ephemeral port. */
export async function startJsonServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<JsonServer> {
  const state = { requests: 0 };
  const server: Server = createServer((req, res) => {
    state.requests++;
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return state.requests;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export interface LoadRun extends CliResult {
  /** the run folder the CLI named ("results in <dir>") */
  dir: string;
  summary: Summary;
}

/** `genload load --<flag> <value>...` (flags in order), its run folder and summary.json; fails the test when the CLI named no folder. */
export async function loadRun(
  flags: Readonly<Record<string, string>>,
  timeoutMs = 120_000,
  env: Record<string, string> = {},
): Promise<LoadRun> {
  const r = await runCli(['load', ...Object.entries(flags).flatMap(([k, v]) => [`--${k}`, v])], { timeoutMs, env });
  const dir = /results in (\S+)/.exec(r.stderr)?.[1];
  assert.ok(dir !== undefined, r.stderr.slice(-3000));
  return { ...r, dir, summary: JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Summary };
}
