import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExitCode } from '../../shared/exit-codes.ts';
import { outcomeOf, type RunEnd } from './outcome.ts';

const valid = { valid: true, reasons: [] };
const invalid = { valid: false, reasons: ['dropped_iterations=12'] };

const cases: Array<[string, RunEnd, number, string]> = [
  ['pass', { k6ExitCode: 0, interrupted: false, validity: valid }, ExitCode.Passed, 'passed'],
  ['thresholds failed', { k6ExitCode: 99, interrupted: false, validity: valid }, ExitCode.SloBreached, 'slo-breached'],
  ['breach while invalid stays a breach', { k6ExitCode: 99, interrupted: false, validity: invalid }, ExitCode.SloBreached, 'slo-breached'],
  ['pass while invalid is invalid', { k6ExitCode: 0, interrupted: false, validity: invalid }, ExitCode.RunInvalid, 'invalid'],
  ['script error', { k6ExitCode: 107, interrupted: false }, ExitCode.K6Unavailable, 'k6-failed'],
  ['no summary', { k6ExitCode: 0, interrupted: false }, ExitCode.K6Unavailable, 'k6-failed'],
  ['interrupted by us', { k6ExitCode: 0, interrupted: true, validity: valid }, ExitCode.Interrupted, 'interrupted'],
  ['k6 external abort', { k6ExitCode: 105, interrupted: false }, ExitCode.Interrupted, 'interrupted'],
];

for (const [name, end, code, verdict] of cases) {
  test(`outcome: ${name}`, () => {
    const o = outcomeOf(end);
    assert.equal(o.exitCode, code);
    assert.equal(o.verdict, verdict);
  });
}

test('invalid outcome names the reasons', () => {
  assert.match(outcomeOf({ k6ExitCode: 0, interrupted: false, validity: invalid }).message, /dropped_iterations=12/);
});
