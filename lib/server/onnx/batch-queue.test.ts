import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BatchQueue, type BatchItem } from './batch-queue.ts';

type Item = BatchItem & { name: string };
const item = (name: string, key: string, size: number, enqueuedMs: number): Item => ({ name, key, size, enqueuedMs });

function setup(active: Record<string, number>, maxBatchSize = 4, maxQueueDelayMs = 5) {
  const ran: string[][] = [];
  const q = new BatchQueue<Item>({ maxBatchSize, maxQueueDelayMs }, (k) => active[k] ?? 0, async (_w, items) => {
    ran.push(items.map((i) => i.name));
  });
  const runNext = async (now: number) => {
    const poll = q.next(0, now);
    if (poll && 'job' in poll) await poll.job.run(0);
    return poll;
  };
  return { q, ran, runNext };
}

test('waits for the delay while others of the key may still join', async () => {
  const { q, ran, runNext } = setup({ a: 3 });
  q.push(item('1', 'a', 1, 0));
  assert.deepEqual(await runNext(2), { retryAtMs: 5 });
  q.push(item('2', 'a', 1, 3));
  await runNext(5);
  assert.deepEqual(ran, [['1', '2']]);
});

test('leaves at once when every active request of the key is queued', async () => {
  const { q, ran, runNext } = setup({ a: 2 });
  q.push(item('1', 'a', 1, 0));
  q.push(item('2', 'a', 1, 0));
  await runNext(0);
  assert.deepEqual(ran, [['1', '2']]);
});

test('a full batch leaves at once; the rest waits; sizes count images', async () => {
  const { q, ran, runNext } = setup({ a: 10 }, 4);
  q.push(item('1', 'a', 2, 0));
  q.push(item('2', 'a', 1, 0));
  q.push(item('3', 'a', 2, 0));
  await runNext(0);
  assert.deepEqual(ran, [['1', '2']]);
  assert.equal(q.waiting('a'), 1);
});

test('keys never mix; a ready key goes before an older waiting one', async () => {
  const { q, ran, runNext } = setup({ a: 5, b: 1 });
  q.push(item('a1', 'a', 1, 0));
  q.push(item('b1', 'b', 1, 1));
  await runNext(1);
  assert.deepEqual(ran, [['b1']]);
  await runNext(6);
  assert.deepEqual(ran, [['b1'], ['a1']]);
});

test('a removed item never runs', async () => {
  const { q, ran, runNext } = setup({ a: 1 });
  const x = item('1', 'a', 1, 0);
  q.push(x);
  assert.equal(q.remove(x), true);
  assert.equal(await runNext(100), null);
  assert.deepEqual(ran, []);
});
