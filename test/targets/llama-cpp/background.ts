// The llama-cpp-python build of a cold `make test`, run beside the tiers that do
// not need it instead of before them (README "make test"):
//
//   background.ts start   returns at once; when the install is not cached, starts
//                         `background.ts run` as a child at the lowest CPU priority
//   background.ts run     installs (provision.ts) and writes the tiny model; prints a
//                         progress line every minute; records how it ended
//   background.ts wait    waits for that child, a progress line every 15 s; exits 1
//                         with its error when it failed
//
// Why the lowest priority (nice 19): the machine this targets has 2 cores, and the
// build uses both (CMAKE_BUILD_PARALLEL_LEVEL). At nice 19 the compiler gets the
// CPU the foreground tiers leave idle (typecheck and prettier use one core; tests
// wait on I/O) and yields within a scheduler tick when they want it, so the
// foreground runs at nearly its own speed. Timing-sensitive e2e tests still do not
// run beside it: the Makefile waits for the build before them (memory bandwidth and
// caches are shared whatever the priority).
//
// The child stays in make's process group, so Ctrl-C stops it too; a killed
// install leaves no complete.json and is rebuilt next time (provision.ts).

import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { cacheRoot } from '../../../lib/cli/k6/cache-key.ts';
import { ensureTinyLlama } from './model.ts';
import { ensureLlamaCpp, installDir, LLAMA_CPP_PYTHON_VERSION, LOG_FILE, readComplete } from './provision.ts';
import { formatElapsed, parseProgress, progressLine, readTail } from './progress.ts';

/** what `run` records in <installDir>.background.json */
export interface BackgroundState {
  pid: number;
  startedAtMs: number;
  status: 'running' | 'done' | 'failed';
  endedAtMs?: number;
  message?: string;
}

const say = (line: string): void => void process.stderr.write(`llama-cpp-python: ${line}\n`);

export function statePath(dir: string): string {
  return `${dir}.background.json`;
}

export function readState(path: string): BackgroundState | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as BackgroundState;
  } catch {
    return undefined;
  }
}

function writeState(path: string, state: BackgroundState): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state)}\n`);
  renameSync(tmp, path);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function progressNow(dir: string, startedAtMs: number): string {
  return progressLine(Date.now() - startedAtMs, parseProgress(readTail(join(dir, LOG_FILE))));
}

function start(dir: string): void {
  if (readComplete(dir, LLAMA_CPP_PYTHON_VERSION)) return say(`cached (${dir})`);
  const state = readState(statePath(dir));
  if (state?.status === 'running' && alive(state.pid))
    return say(`already building in the background (pid ${state.pid})`);
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), 'run'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  child.unref();
  // written here too, not only by the child: a `wait` right after `start` must find it
  mkdirSync(dirname(dir), { recursive: true });
  if (child.pid !== undefined)
    writeState(statePath(dir), { pid: child.pid, startedAtMs: Date.now(), status: 'running' });
  say(
    `building in the background at nice 19 (pid ${child.pid}; log ${join(dir, LOG_FILE)}); the llama-cpp e2e tier waits for it`,
  );
}

async function run(root: string, dir: string): Promise<void> {
  setPriority(19); // inherited by pip, cmake and the compilers: see the header
  const path = statePath(dir);
  const startedAtMs = Date.now();
  writeState(path, { pid: process.pid, startedAtMs, status: 'running' });
  const timer = setInterval(() => say(`(background) ${progressNow(dir, startedAtMs)}`), 60_000);
  try {
    const lcp = await ensureLlamaCpp({ cacheRoot: root, log: (line) => say(`(background) ${line}`) });
    ensureTinyLlama(root, lcp.vocabPath);
    writeState(path, { pid: process.pid, startedAtMs, status: 'done', endedAtMs: Date.now() });
    say(`(background) ready after ${formatElapsed(Date.now() - startedAtMs)}`);
  } catch (err) {
    writeState(path, {
      pid: process.pid,
      startedAtMs,
      status: 'failed',
      endedAtMs: Date.now(),
      message: (err as Error).message,
    });
    say(`(background) failed: ${(err as Error).message}`);
    process.exitCode = 1;
  } finally {
    clearInterval(timer);
  }
}

/** 0 when there is nothing to wait for or the build finished; 1 when it failed. */
async function wait(dir: string, timeoutMs = 45 * 60_000, printEveryMs = 15_000): Promise<number> {
  const path = statePath(dir);
  const waitStart = Date.now();
  let printed = 0;
  for (;;) {
    if (readComplete(dir, LLAMA_CPP_PYTHON_VERSION)) {
      // the install is whole; the tiny model is written just after it
      const s = readState(path);
      if (!s || s.status !== 'running' || !alive(s.pid)) break;
    }
    const s = readState(path);
    if (!s) return 0; // never started in the background: `make llama-cpp` installs in the foreground
    if (s.status === 'failed') {
      say(`the background build failed: ${s.message ?? '(no message)'}`);
      rmSync(path, { force: true });
      return 1;
    }
    if (s.status === 'done') break;
    if (!alive(s.pid)) {
      say(`the background build (pid ${s.pid}) ended without a result (killed?); installing in the foreground`);
      rmSync(path, { force: true });
      return 0;
    }
    if (Date.now() - waitStart > timeoutMs) {
      say(`gave up waiting after ${Math.round(timeoutMs / 60_000)} min for the background build (pid ${s.pid})`);
      return 1;
    }
    if (Date.now() - printed >= printEveryMs) {
      say(`waiting for the background build: ${progressNow(dir, s.startedAtMs)}`);
      printed = Date.now();
    }
    await sleep(1_000);
  }
  const s = readState(path);
  if (s?.endedAtMs !== undefined)
    say(
      `ready: the background build took ${formatElapsed(s.endedAtMs - s.startedAtMs)}, this run waited ${formatElapsed(Date.now() - waitStart)} for it`,
    );
  rmSync(path, { force: true });
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = cacheRoot(process.env);
  const dir = installDir(root, LLAMA_CPP_PYTHON_VERSION);
  const cmd = process.argv[2];
  if (cmd === 'start') start(dir);
  else if (cmd === 'run') await run(root, dir);
  else if (cmd === 'wait') process.exitCode = await wait(dir);
  else {
    say(`usage: background.ts start | run | wait (got ${JSON.stringify(cmd)})`);
    process.exitCode = 2;
  }
}
