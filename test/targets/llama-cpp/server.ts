// Starts llama-cpp-python's OpenAI-compatible server on loopback and waits
// until GET /v1/models answers 200 (polled, bounded; never a fixed sleep).
// The server runs one request at a time (a lock around the model). Its
// default `interrupt_requests=true` ends a running stream with [DONE] as soon
// as another request waits, which would cut every streamed answer short under
// load; the fixture turns it off so requests queue, as a load test needs.

import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface LlamaServer {
  url: string;
  pid: number;
  /** the name /v1/models lists (the --model_alias) */
  model: string;
  stop(): Promise<void>;
}

export interface LlamaServerOptions {
  python: string;
  modelPath: string;
  logPath: string;
  /** threads for generation; default 1 (k6 needs the other core) */
  threads?: number;
  contextTokens?: number;
  readyTimeoutMs?: number;
  /** extra `--key value` server settings */
  extraArgs?: string[];
}

export const MODEL_ALIAS = 'genload-tiny-llama';

/** A free loopback port (the kernel's pick; released just before the server binds it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export async function startLlamaServer(o: LlamaServerOptions): Promise<LlamaServer> {
  const port = await freePort();
  const threads = String(o.threads ?? 1);
  const args = [
    '-m',
    'llama_cpp.server',
    '--model',
    o.modelPath,
    '--model_alias',
    MODEL_ALIAS,
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
  ];
  args.push(
    '--n_ctx',
    String(o.contextTokens ?? 2048),
    '--n_threads',
    threads,
    '--n_threads_batch',
    threads,
    '--interrupt_requests',
    'false',
    '--verbose',
    'false',
    ...(o.extraArgs ?? []),
  );
  const fd = openSync(o.logPath, 'a');
  const child = spawn(o.python, args, { stdio: ['ignore', fd, fd], env: { ...process.env, PYTHONUNBUFFERED: '1' } });
  closeSync(fd);
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  let exitCode: number | null | undefined;
  void exited.then((c) => (exitCode = c));
  const deadline = performance.now() + (o.readyTimeoutMs ?? 60_000);
  for (let attempt = 0; attempt < 600; attempt++) {
    if (exitCode !== undefined)
      throw new Error(
        `llama-cpp-python server exited ${exitCode} before it was ready; log ${o.logPath}:\n${tail(o.logPath)}`,
      );
    if (performance.now() > deadline) {
      await stopChild(child, exited);
      throw new Error(
        `llama-cpp-python server not ready after ${o.readyTimeoutMs ?? 60_000} ms; log ${o.logPath}:\n${tail(o.logPath)}`,
      );
    }
    try {
      const res = await fetch(`${url}/v1/models`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  return { url, pid: child.pid ?? 0, model: MODEL_ALIAS, stop: () => stopChild(child, exited) };
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const gone = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
  if (!gone) {
    child.kill('SIGKILL');
    await exited;
  }
}

function tail(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim().split('\n').slice(-20).join('\n');
  } catch {
    return '(no log)';
  }
}
