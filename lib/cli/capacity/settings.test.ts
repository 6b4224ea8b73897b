import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../errors.ts';
import { DEFAULT_CAPACITY_SETTINGS, resolveCapacitySettings } from './settings.ts';

test('capacity settings: defaults, env, flags win, percentages', () => {
  assert.deepEqual(resolveCapacitySettings({}, {}), DEFAULT_CAPACITY_SETTINGS);
  const s = resolveCapacitySettings(
    { tolerance: '5%', 'peak-rps': '120', headroom: '0.3' },
    { GENLOAD_TOLERANCE: '0.1', GENLOAD_PRICE_PER_HOUR: '2.5', GENLOAD_TIME_BUDGET: '5m' },
  );
  assert.equal(s.toleranceRatio, 0.05);
  assert.equal(s.peakRps, 120);
  assert.equal(s.headroomRatio, 0.3);
  assert.equal(s.pricePerHour, 2.5);
  assert.equal(s.timeBudgetSeconds, 300);
});

test('capacity settings: every problem at once, naming the variable, rule and value', () => {
  assert.throws(
    () => resolveCapacitySettings({ tolerance: '80%', 'max-steps': '2.5', headroom: '1' }, { GENLOAD_PEAK_RPS: '-3' }),
    (err: unknown) =>
      err instanceof ConfigError &&
      err.problems.length === 4 &&
      err.problems.some((p) => p === "GENLOAD_PEAK_RPS: must be a number greater than 0, but is '-3'") &&
      err.problems.some((p) =>
        p.startsWith("MAX_STEPS: must be a whole number at least 1 and at most 200, but is '2.5'"),
      ),
  );
});
