import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventLoopLag, lagSeconds } from './event-loop-lag.ts';

test('the timer resolution is not counted as lag', () => {
  assert.ok(Math.abs(lagSeconds(10_100_000, 10) - 0.0001) < 1e-12);
  assert.equal(lagSeconds(9_000_000, 10), 0);
  assert.ok(Math.abs(lagSeconds(60_000_000, 10) - 0.05) < 1e-12);
});

test('an idle loop shows little lag; a blocked loop shows the block, and reading resets the window', async () => {
  const lag = eventLoopLag(10);
  try {
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(lag.read().get(0.5)! < 0.005);
    await new Promise((r) => setTimeout(r, 30));
    const until = performance.now() + 60;
    while (performance.now() < until); // block the loop for 60 ms
    await new Promise((r) => setTimeout(r, 30));
    assert.ok(lag.read().get(1)! >= 0.04);
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(lag.read().get(1)! < 0.04);
  } finally {
    lag.close();
  }
});
