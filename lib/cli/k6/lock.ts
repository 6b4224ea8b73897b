// A lock file so two concurrent `make` runs do not both spend minutes building
// the same k6: the first creates the file exclusively, the others wait for it
// to go away (bounded), then find the finished binary in the cache.

import { openSync, closeSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface LockOptions {
  /** give up waiting after this long */
  timeoutMs: number;
  /** how often to look at the lock while waiting */
  pollMs: number;
  /** a lock older than this is taken as left by a crashed run, even if its pid lives */
  staleMs: number;
  /** called once when we start waiting for another process */
  onWait?: (holder: string) => void;
  now?: () => number;
}

export class LockTimeoutError extends Error {
  constructor(
    readonly lockPath: string,
    readonly waitedMs: number,
  ) {
    super(
      `waiting for the lock ${lockPath} timed out after ${Math.round(waitedMs / 1000)} s; delete it if no other genload is building k6`,
    );
    this.name = 'LockTimeoutError';
  }
}

function tryCreate(lockPath: string): boolean {
  try {
    const fd = openSync(lockPath, 'wx');
    writeSync(fd, `${process.pid} ${new Date().toISOString()}\n`);
    closeSync(fd);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when the lock's holder is gone or the lock is too old; a lock that vanished meanwhile counts as stale. */
function isStale(lockPath: string, staleMs: number, nowMs: number): { stale: boolean; holder: string } {
  try {
    const holder = readFileSync(lockPath, 'utf8').trim();
    const pid = Number(holder.split(' ')[0]);
    const ageMs = nowMs - statSync(lockPath).mtimeMs;
    return { stale: !Number.isInteger(pid) || pid <= 0 || !pidAlive(pid) || ageMs > staleMs, holder };
  } catch {
    return { stale: true, holder: '(gone)' };
  }
}

/** Runs fn while holding lockPath; waits (bounded) while another live process holds it. */
export async function withLock<T>(lockPath: string, fn: () => Promise<T>, opts: LockOptions): Promise<T> {
  const now = opts.now ?? Date.now;
  const startMs = now();
  let told = false;
  const maxPolls = Math.ceil(opts.timeoutMs / opts.pollMs) + 1;
  for (let poll = 0; ; poll++) {
    if (poll > maxPolls) throw new LockTimeoutError(lockPath, now() - startMs);
    if (tryCreate(lockPath)) break;
    const { stale, holder } = isStale(lockPath, opts.staleMs, now());
    if (stale) {
      rmSync(lockPath, { force: true });
      continue; // another waiter may win the race to re-create it: that is fine
    }
    if (now() - startMs >= opts.timeoutMs) throw new LockTimeoutError(lockPath, now() - startMs);
    if (!told) {
      opts.onWait?.(holder);
      told = true;
    }
    await sleep(opts.pollMs);
  }
  try {
    return await fn();
  } finally {
    rmSync(lockPath, { force: true });
  }
}
