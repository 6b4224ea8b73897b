import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunSummary } from '../../run-folder/run-record.ts';
import { answerOf } from './answer.ts';
import { serverTimeWords } from './generator-answer.ts';

const stage = (name: string, rps: number) => ({
  stage: name,
  judged: true,
  durationS: 8,
  offeredRps: rps,
  achievedRps: rps,
  requests: rps * 8,
  completed: true,
  classes: {},
});

const summary = (bound: boolean): RunSummary =>
  ({
    scenario: 'ramp',
    stages: [stage('step-01', 400), stage('step-02', 2000)],
    validity: { valid: !bound, reasons: [] },
    slo: {
      name: 'default',
      passed: false,
      highestPassingRps: 400,
      verdicts: [
        {
          stage: 'step-01',
          class: 'llm',
          meaning: 'm',
          metric: 'genload_e2e_ms{stage:step-01}',
          expression: 'p(95)<100',
          ok: true,
        },
        {
          stage: 'step-02',
          class: 'llm',
          meaning: 'm',
          metric: 'genload_e2e_ms{stage:step-02}',
          expression: 'p(95)<100',
          ok: false,
        },
      ],
    },
    generator: {
      boundShare: 0.9,
      probeLagBoundMs: 50,
      notes: [],
      stages: [
        { stage: 'step-01', sampledS: 8, k6CpuShare: 0.36, allowedCores: 1, bound: false },
        {
          stage: 'step-02',
          sampledS: 8,
          k6CpuShare: 0.98,
          allowedCores: 1,
          bound: bound,
          serverTime: { source: 'Server-Timing', serverMs: 5, e2eMs: 100, serverShare: 0.05 },
          ...(bound
            ? {
                reason:
                  'step-02: k6 used 98 % of the 1 core it may use; the generator, not the target, was the limit; add INSTANCES or cores',
              }
            : {}),
        },
      ],
      ...(bound ? { firstBoundStage: 'step-02' } : {}),
    },
  }) as unknown as RunSummary;

test('the answer names the generator with its figure and gives a lower bound', () => {
  const a = answerOf(summary(true), []);
  assert.equal(a.limit, 'generator');
  assert.equal(
    a.sentence,
    'Generator-bound at 2000 requests/s: step-02: k6 used 98 % of the 1 core it may use; the generator, not the target, was the limit; add INSTANCES or cores. The answer is at least 400 requests/s.',
  );
  assert.equal(a.facts.find((f) => f.label === 'limit')?.value, 'the load generator');
});

test("the server's own share of e2e is said for a failing stage where k6 had headroom", () => {
  const a = answerOf(summary(false), []);
  assert.match(
    a.sentence,
    /At step-02 the target's own time \(Server-Timing\) was only 5 % of e2e: most of the latency was client and network\.$/,
  );
  assert.equal(serverTimeWords(summary(false), 'step-01'), undefined);
});
