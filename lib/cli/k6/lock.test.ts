import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { LockTimeoutError, withLock } from './lock.ts';

const fast = { timeoutMs: 2_000, pollMs: 10, staleMs: 60_000 };

function tempLock(): { path: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'genload-lock-'));
  return { path: join(dir, 'build.lock'), done: () => rmSync(dir, { recursive: true, force: true }) };
}

test('a second holder waits until the first releases, then runs', async () => {
  const { path, done } = tempLock();
  try {
    const order: string[] = [];
    let waited = false;
    const first = withLock(
      path,
      async () => {
        order.push('first start');
        await new Promise((r) => setTimeout(r, 100));
        order.push('first end');
      },
      fast,
    );
    const second = withLock(path, async () => order.push('second'), { ...fast, onWait: () => (waited = true) });
    await Promise.all([first, second]);
    assert.deepEqual(order, ['first start', 'first end', 'second']);
    assert.ok(waited, 'the waiter should have been told');
    assert.equal(existsSync(path), false, 'the lock is removed after use');
  } finally {
    done();
  }
});

test('the lock is released when the holder throws', async () => {
  const { path, done } = tempLock();
  try {
    await assert.rejects(
      withLock(
        path,
        async () => {
          throw new Error('boom');
        },
        fast,
      ),
      /boom/,
    );
    assert.equal(existsSync(path), false);
  } finally {
    done();
  }
});

test('a lock left by a dead process or too old is taken over', async () => {
  const { path, done } = tempLock();
  try {
    writeFileSync(path, '999999999 2020-01-01T00:00:00Z\n'); // no such pid
    assert.equal(await withLock(path, async () => 'ran', fast), 'ran');
    writeFileSync(path, `${process.pid} old\n`); // alive pid, but old
    const oldS = (Date.now() - 120_000) / 1000;
    utimesSync(path, oldS, oldS);
    assert.equal(await withLock(path, async () => 'ran again', fast), 'ran again');
  } finally {
    done();
  }
});

test('waiting on a live holder ends with LockTimeoutError', async () => {
  const { path, done } = tempLock();
  try {
    writeFileSync(path, `${process.pid} now\n`);
    await assert.rejects(
      withLock(path, async () => 'never', { ...fast, timeoutMs: 100 }),
      LockTimeoutError,
    );
    assert.equal(existsSync(path), true, 'a live holder keeps its lock');
  } finally {
    done();
  }
});
