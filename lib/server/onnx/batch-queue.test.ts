import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BatchQueue, type BatchItem } from './batch-queue.ts';

type Item = BatchItem & { name: string };
const item = (name: string, key: string, size: number, enqueuedMs: number): Item => ({ name, key, size, enqueuedMs });

function setup(active: Record<string, number>, maxBatchSize = 4, maxQueueDelayMs = 5) {
  const ran: string[][] = [];
  const q = new BatchQueue<Item>(
    { maxBatchSize, maxQueueDelayMs },
    (k) => active[k] ?? 0,
    async (_w, items) => {
      ran.push(items.map((i) => i.name));
    },
  );
  const runNext = async (now: number, idleWorkers = 1) => {
    const poll = q.next(0, now, idleWorkers);
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

test('queued images are shared among the idle workers', async () => {
  const { q, ran, runNext } = setup({ a: 4 }, 8);
  for (const name of ['1', '2', '3', '4']) q.push(item(name, 'a', 1, 0));
  await runNext(0, 2);
  await runNext(5, 1); // the queue delay has passed: the other half leaves
  assert.deepEqual(ran, [
    ['1', '2'],
    ['3', '4'],
  ]);
});

test('requests inside a running batch cannot join: the rest leaves without waiting for them', async () => {
  const { q, ran } = setup({ a: 4 }, 8, 5);
  for (const name of ['1', '2', '3', '4']) q.push(item(name, 'a', 1, 0));
  const first = q.next(0, 0, 2);
  assert.ok(first && 'job' in first); // takes 1, 2
  const second = q.next(1, 0, 1); // 3, 4 queued + 2 in a batch = every active request
  assert.ok(second && 'job' in second);
  await Promise.all([first.job.run(0), second.job.run(1)]);
  assert.deepEqual(ran, [
    ['1', '2'],
    ['3', '4'],
  ]);
  // both batches ended: a lone returning item waits for the others again
  q.push(item('1b', 'a', 1, 1));
  assert.deepEqual(q.next(0, 1, 2), { retryAtMs: 6 });
});
