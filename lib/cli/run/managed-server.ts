// Starts the local reference server for a run that names no TARGET: its own
// process group on an ephemeral loopback port, output to <runDir>/server.log,
// ready when GET /ready answers 200 (never a fixed sleep).

import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../paths.ts';
import { ServerStartError } from '../errors.ts';
import { waitForReady } from './probe.ts';

export interface ManagedServer {
  readonly url: string;
  readonly pid: number;
  /** SIGTERM, then SIGKILL after graceMs; resolves with the exit code (or signal name) */
  stop(graceMs?: number): Promise<string>;
}

export interface ManagedServerOptions {
  engine: 'onnx' | 'sim';
  logPath: string;
  /** extra flags for lib/server/main.ts */
  extraArgs?: readonly string[];
  readyTimeoutMs?: number;
}

export async function startManagedServer(opts: ManagedServerOptions): Promise<ManagedServer> {
  const log = createWriteStream(opts.logPath, { flags: 'a' });
  const args = [
    '--import',
    'tsx',
    join(repoRoot, 'lib/server/main.ts'),
    '--host',
    '127.0.0.1',
    '--port',
    '0',
    '--engine',
    opts.engine,
    ...(opts.extraArgs ?? []),
  ];
  const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stderr?.pipe(log, { end: false });
  const exited = new Promise<string>((resolveExit) =>
    child.once('exit', (code, signal) => resolveExit(signal ?? String(code))),
  );
  let alive = true;
  // set when the server reports that its engine could not start: stop waiting for /ready at once
  let startFailure: string | undefined;
  void exited.then(() => (alive = false));

  const url = await new Promise<string>((resolveUrl, reject) => {
    let buffered = '';
    const timer = setTimeout(
      () =>
        reject(
          new ServerStartError(
            `reference server did not report its address within ${(opts.readyTimeoutMs ?? 120_000) / 1000} s; see ${opts.logPath}`,
          ),
        ),
      opts.readyTimeoutMs ?? 120_000,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      log.write(chunk);
      buffered += chunk.toString('utf8');
      for (const line of buffered.split('\n')) {
        if (!line.startsWith('{')) continue;
        try {
          const msg = JSON.parse(line) as { event?: string; url?: string };
          if (msg.event === 'listening' && typeof msg.url === 'string') {
            clearTimeout(timer);
            resolveUrl(msg.url);
          }
          if (msg.event === 'start-failed' || msg.event === 'failed')
            startFailure = (msg as { reason?: string }).reason ?? msg.event;
        } catch {
          // an incomplete line: wait for more output
        }
      }
      buffered = buffered.slice(buffered.lastIndexOf('\n') + 1);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new ServerStartError(`reference server exited (${code}) before listening; see ${opts.logPath}`));
    });
  });

  const stop = async (graceMs = 15_000): Promise<string> => {
    if (alive) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => alive && killGroup(child), graceMs);
      const code = await exited;
      clearTimeout(timer);
      log.end();
      return code;
    }
    log.end();
    return exited;
  };

  const ready = await waitForReady(
    `${url}/ready`,
    opts.readyTimeoutMs ?? 120_000,
    () => alive && startFailure === undefined,
  );
  if (!ready.ready) {
    await stop(2000);
    throw new ServerStartError(
      `reference server at ${url} did not become ready: ${startFailure ?? ready.last}; see ${opts.logPath}`,
    );
  }
  return { url, pid: child.pid ?? -1, stop };
}

function killGroup(child: ChildProcess): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}
