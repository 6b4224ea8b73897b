import { test } from 'node:test';
import assert from 'node:assert/strict';
import { k6Command } from '../k6/k6-process.ts';

test('K6_CPUS pins k6 with taskset; unset runs k6 itself; a malformed list is refused with its value', () => {
  assert.deepEqual(k6Command('/k6', ['run', 'x.js'], undefined), { command: '/k6', args: ['run', 'x.js'] });
  const pinned = k6Command('/k6', ['run'], '0');
  assert.match(pinned.command, /taskset$/);
  assert.deepEqual(pinned.args, ['-c', '0', '/k6', 'run']);
  assert.deepEqual(k6Command('/k6', [], '0-1,3').args.slice(0, 2), ['-c', '0-1,3']);
  assert.throws(() => k6Command('/k6', [], 'core0'), /K6_CPUS: must be a CPU list such as 0 or 0-1,3 .*but is 'core0'/);
});
