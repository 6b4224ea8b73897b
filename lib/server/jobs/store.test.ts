import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JobStore, type Job } from './store.ts';

const job = (id: string, createdMs: number): Job => ({
  id,
  kind: 'image',
  status: 'queued',
  createdMs,
  controller: new AbortController(),
});

test('bounded: full store refuses; finished jobs expire after the TTL (injected clock)', () => {
  let now = 0;
  const store = new JobStore(2, 1000, () => now);
  const a = job('a', 0);
  assert.ok(store.add(a));
  assert.ok(store.add(job('b', 0)));
  assert.equal(store.add(job('c', 0)), false, 'full');
  a.status = 'succeeded';
  a.finishedMs = 100;
  now = 1100;
  assert.ok(store.get('a'), 'exactly at the TTL it is still readable');
  now = 1101;
  assert.equal(store.get('a'), undefined, 'expired');
  assert.ok(store.get('b'), 'unfinished jobs never expire');
  assert.ok(store.add(job('c', now)), 'room again');
});

test('msUntilPlace: time until the soonest finished job expires, undefined while none has finished', () => {
  let now = 0;
  const store = new JobStore(3, 1000, () => now);
  const [a, b] = [job('a', 0), job('b', 0)];
  store.add(a);
  store.add(b);
  assert.equal(store.msUntilPlace(), undefined);
  Object.assign(a, { status: 'succeeded', finishedMs: 200 });
  Object.assign(b, { status: 'failed', finishedMs: 50 });
  now = 300;
  assert.equal(store.msUntilPlace(), 750, 'b expires at 1050');
  now = 1050;
  assert.equal(store.msUntilPlace(), 0);
});
