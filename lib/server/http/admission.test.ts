// Admission with a scripted engine and an injected clock: shedding, the estimated
// Retry-After (header and message agree), and accepted work while draining.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaults } from '../config/schema.ts';
import type { Engine } from '../engine/types.ts';
import { Admission } from './admission.ts';
import { HttpError } from './errors.ts';
import { Lifecycle } from './lifecycle.ts';

/** an engine that reports `running` requests of model m and computes nothing */
function scripted(running: { m: number }): Engine {
  return {
    kind: 'sim',
    provider: 'sim',
    models: () => [],
    start: async () => {},
    generateImages: () => Promise.reject(new Error('not used')),
    generateText: () => Promise.reject(new Error('not used')),
    stats: () => ({ waiting: {}, running: { m: running.m }, workerBusyMs: [] }),
    close: async () => {},
  };
}

const queue = (over: Partial<typeof defaults.queue>) => ({ queue: { ...defaults.queue, ...over } });

function shed(admission: Admission): HttpError {
  try {
    admission.admit('m', 60_000).release();
  } catch (err) {
    assert.ok(err instanceof HttpError);
    return err;
  }
  assert.fail('the request was admitted');
}

test('a full queue sheds with the configured Retry-After until a pace is measured, then with the estimate; the message says the same number', () => {
  let now = 0;
  const running = { m: 2 };
  const admission = new Admission(
    scripted(running),
    queue({ maxWaitingPerModel: 3, retryAfterSeconds: 5, retryAfterMaxSeconds: 60 }),
    new Lifecycle(),
    () => now,
  );
  const tickets = Array.from({ length: 5 }, () => admission.admit('m', 60_000)); // 2 running + 3 waiting
  assert.equal(admission.waiting('m'), 3);
  let err = shed(admission);
  assert.equal(err.status, 429);
  assert.equal(err.headers['retry-after'], '5');
  assert.match(err.message, /retry after 5 s$/);

  // completions every 1.5 s while busy: pace 1.5 s; (3 waiting + 1) × 1.5 s = 6 s
  for (const t of tickets.slice(0, 3)) {
    now += 1500;
    t.release();
    tickets.push(admission.admit('m', 60_000));
  }
  assert.equal(admission.waiting('m'), 3);
  err = shed(admission);
  assert.equal(err.headers['retry-after'], '6');
  assert.match(err.message, /retry after 6 s$/);
  for (const t of tickets) t.release();
});

test('accepted work (a queued job) is never shed and is admitted while draining; new work gets 503', () => {
  const lifecycle = new Lifecycle();
  const admission = new Admission(scripted({ m: 0 }), queue({ maxWaitingPerModel: 0 }), lifecycle);
  admission.admit('m', 60_000, [], true).release();
  lifecycle.beginDrain();
  const ticket = admission.admit('m', 60_000, [], true);
  assert.equal(lifecycle.inFlight, 1);
  ticket.release();
  const err = shed(admission);
  assert.deepEqual([err.status, err.code], [503, 'server_shutting_down']);
});
