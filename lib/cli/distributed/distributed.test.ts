import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judgeValidity } from '../../shared/validity.ts';
import type { StageSummary, Summary } from '../../shared/summary.ts';
import { emptyTable, addLine } from '../run-folder/samples.ts';
import { parseSelector } from './aggregate.ts';
import { mergedK6ExitCode } from './exit-code.ts';
import { executionSegments, segmentArgs } from './segments.ts';
import { judgeRecord } from './threshold.ts';
import { COUNTER, TREND } from '../../shared/metrics.ts';

test('execution segments tile [0,1] with one shared sequence', () => {
  assert.deepEqual(executionSegments(1), [{ index: 0, segment: '0:1', sequence: '0,1' }]);
  const three = executionSegments(3);
  assert.deepEqual(
    three.map((s) => s.segment),
    ['0:1/3', '1/3:2/3', '2/3:1'],
  );
  assert.ok(three.every((s) => s.sequence === '0,1/3,2/3,1'));
  assert.deepEqual(segmentArgs(three[1]!), [
    '--execution-segment',
    '1/3:2/3',
    '--execution-segment-sequence',
    '0,1/3,2/3,1',
  ]);
  for (const bad of [0, -1, 1.5, 65, Number.NaN])
    assert.throws(() => executionSegments(bad), /instances: must be a whole number from 1 to 64/);
});

test('selectors parse like k6 sub-metric names', () => {
  assert.deepEqual(parseSelector('genload_e2e_ms{class:llm,stage:step-01}'), {
    metric: 'genload_e2e_ms',
    tags: { class: 'llm', stage: 'step-01' },
  });
  assert.deepEqual(parseSelector('http_reqs'), { metric: 'http_reqs', tags: {} });
});

test('a record is judged only on samples carrying its stage and class, with its statistic and bound', () => {
  const t = emptyTable();
  addLine(t, JSON.stringify({ type: 'Metric', metric: TREND.e2eMs, data: { type: 'trend' } }));
  addLine(t, JSON.stringify({ type: 'Metric', metric: COUNTER.requests, data: { type: 'counter' } }));
  for (const [v, stage] of [
    [100, 'measure'],
    [200, 'measure'],
    [9000, 'warmup'],
  ] as const) {
    for (const [metric, value] of [
      [TREND.e2eMs, v],
      [COUNTER.requests, 1],
    ] as const)
      addLine(
        t,
        JSON.stringify({
          type: 'Point',
          metric,
          data: { time: '2026-01-01T00:00:00Z', value, tags: { stage, class: 'llm' } },
        }),
      );
  }
  const bound = {
    stage: 'measure',
    class: 'llm' as const,
    metric: 'e2eMs' as const,
    statistic: 'max' as const,
    op: '<' as const,
    bound: 300,
    unit: 'ms' as const,
  };
  assert.deepEqual(judgeRecord(t, bound, 1), { value: 200, ok: true });
  assert.deepEqual(judgeRecord(t, { ...bound, stage: 'warmup' }, 1), { value: 9000, ok: false });
  const requests = {
    ...bound,
    metric: 'requests' as const,
    statistic: 'count' as const,
    op: '>=' as const,
    unit: 'count' as const,
  };
  assert.deepEqual(judgeRecord(t, { ...requests, bound: 2 }, 1), { value: 2, ok: true });
  assert.deepEqual(judgeRecord(t, { ...requests, bound: 1, class: 'image' }, 1), { value: 0, ok: false });
});

test('the merged exit code: other k6 failures win, then the merged SLO verdict; an instance 99 alone does not fail', () => {
  const summary = (passed: boolean) => ({ slo: { passed } }) as Summary;
  assert.equal(mergedK6ExitCode([0, 99], summary(true)), 0);
  assert.equal(mergedK6ExitCode([0, 0], summary(false)), 99);
  assert.equal(mergedK6ExitCode([99, 107], summary(true)), 107);
  assert.equal(mergedK6ExitCode([105, 0], summary(true)), 105);
  assert.equal(mergedK6ExitCode([0, 99], undefined), 99);
  assert.equal(mergedK6ExitCode([0, 0], undefined), 0);
});

test('validity rules on merged stages (lib/shared/validity.ts)', () => {
  const st = (over: Partial<StageSummary>): StageSummary => ({
    stage: 'measure',
    judged: true,
    durationS: 10,
    achievedRps: 10,
    requests: 100,
    completed: true,
    classes: {},
    offeredRps: 10,
    ...over,
  });
  const cases: Array<[StageSummary[], number, boolean]> = [
    [[st({})], 0, true],
    [[st({})], 3, false],
    [[st({ requests: 80, achievedRps: 8 })], 0, false],
    [[st({ requests: 94, achievedRps: 9.4 })], 0, true],
    [[st({ requests: 80, completed: false })], 0, true],
    [[st({ stage: 'warmup', requests: 1 })], 0, true],
    [[st({ startLagP95Ms: 51 }), st({ stage: 'step-02', startLagP95Ms: 10 })], 0, false],
    [[st({ offeredRps: undefined, requests: 1 })], 0, true],
  ];
  const drops = (n: number) =>
    n > 0
      ? [
          {
            phase: 'measure',
            stages: ['measure'],
            judged: true,
            plannedArrivals: 100,
            droppedIterations: n,
            maxVus: 64,
          },
        ]
      : [];
  for (const [stages, dropped, valid] of cases)
    assert.equal(judgeValidity(stages, drops(dropped), undefined).valid, valid, JSON.stringify(stages));
});
