import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExitCode } from '../../shared/exit-codes.ts';
import { configProblemsIn, outcomeOf, type RunEnd } from './outcome.ts';

const valid = { valid: true, reasons: [] };
const invalid = { valid: false, reasons: ['dropped_iterations=12'] };

const cases: Array<[string, RunEnd, number, string]> = [
  ['pass', { k6ExitCode: 0, interrupted: false, validity: valid }, ExitCode.Passed, 'passed'],
  ['thresholds failed', { k6ExitCode: 99, interrupted: false, validity: valid }, ExitCode.SloBreached, 'slo-breached'],
  [
    'breach while invalid stays a breach',
    { k6ExitCode: 99, interrupted: false, validity: invalid },
    ExitCode.SloBreached,
    'slo-breached',
  ],
  [
    'the target needed more than MAX_VUS: a breach, not invalid',
    {
      k6ExitCode: 0,
      interrupted: false,
      validity: { ...valid, targetLimits: [{ message: 'stage measure: the target needed more than MAX_VUS=10' }] },
    },
    ExitCode.SloBreached,
    'slo-breached',
  ],
  [
    'pass while invalid is invalid',
    { k6ExitCode: 0, interrupted: false, validity: invalid },
    ExitCode.RunInvalid,
    'invalid',
  ],
  ['script error', { k6ExitCode: 107, interrupted: false }, ExitCode.K6Unavailable, 'k6-failed'],
  [
    'config refused by the scenario',
    { k6ExitCode: 107, interrupted: false, configProblems: ['stage step-01: too few'] },
    ExitCode.ConfigInvalid,
    'config-invalid',
  ],
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

test("configProblemsIn reads the problems of a scenario refusing its config from k6's log", () => {
  // the line k6 v1.8.1 writes for an init-context exception (logfmt, --no-color)
  const log = [
    'time="2026-11-30T15:24:05Z" level=info msg="something else"',
    'time="2026-11-30T15:24:05Z" level=error msg="Error: genload config: stage step-01: 1 rps for 8 s starts at most 9 llm requests, under the SLO\'s minRequests 10 for llm, so the stage cannot pass (raise \\"duration\\"); stage bp-01: x\\n\\tat defineScenario (file:///s.js:1:7(12))\\n" hint="script exception"',
  ].join('\n');
  assert.deepEqual(configProblemsIn(log), [
    'stage step-01: 1 rps for 8 s starts at most 9 llm requests, under the SLO\'s minRequests 10 for llm, so the stage cannot pass (raise "duration")',
    'stage bp-01: x',
  ]);
  assert.deepEqual(configProblemsIn('time="x" level=error msg="Error: boom\\n"'), []);
  const o = outcomeOf({ k6ExitCode: 107, interrupted: false, configProblems: configProblemsIn(log) });
  assert.match(o.message, /^invalid configuration, no load was sent: stage step-01: .*; stage bp-01: x$/);
});

test('a generator-bound stage makes the run invalid (exit 5) even when k6 reported a breach, unless the target broke earlier', () => {
  const reason =
    'measure: k6 used 98 % of the 1 core it may use; the generator, not the target, was the limit; add INSTANCES or cores';
  const gen = { firstBoundStage: 'measure', reasons: [reason], targetBreach: false };
  for (const k6ExitCode of [0, 99]) {
    const o = outcomeOf({
      k6ExitCode,
      interrupted: false,
      validity: { valid: false, reasons: [reason] },
      generator: gen,
    });
    assert.equal(o.exitCode, ExitCode.RunInvalid);
    assert.equal(o.verdict, 'invalid');
    assert.match(o.message, /the load generator was the limit, not the target: measure: k6 used 98 %/);
  }
  const breachFirst = outcomeOf({
    k6ExitCode: 99,
    interrupted: false,
    validity: { valid: false, reasons: [reason] },
    generator: { ...gen, targetBreach: true },
  });
  assert.equal(breachFirst.exitCode, ExitCode.SloBreached);
  const interrupted = outcomeOf({ k6ExitCode: 0, interrupted: true, validity: valid, generator: gen });
  assert.equal(interrupted.exitCode, ExitCode.Interrupted);
});
