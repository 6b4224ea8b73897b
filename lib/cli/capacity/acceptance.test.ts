import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judgeStep } from './acceptance.ts';
import { STEP_SCHEMA_VERSION, type StepMeasurement } from '../../shared/capacity/measurement.ts';

function step(over: Partial<StepMeasurement>): StepMeasurement {
  return {
    schemaVersion: STEP_SCHEMA_VERSION,
    offeredRps: 10,
    measureSeconds: 10,
    scheduled: 100,
    droppedIterations: 0,
    achievedRps: 10,
    requests: 100,
    errorRate: 0,
    latency: { 'image.e2eMs': { p50Ms: 100, p95Ms: 120, p99Ms: 130, count: 100 } },
    halvesP50Ms: { first: 100, second: 102 },
    startLagP95Ms: 2,
    sloPassed: true,
    sloBreaches: [],
    outputTokens: 0,
    images: 100,
    ...over,
  };
}

const breach = (ratio: number) => ({
  metric: 'genload_e2e_ms{class:image,stage:measure}',
  expression: 'p(95)<100',
  observed: ratio * 100,
  ratio,
});

const table: Array<{
  name: string;
  m: Partial<StepMeasurement>;
  verdict: string;
  saturated?: boolean;
  decisive?: boolean;
  reason?: RegExp;
}> = [
  { name: 'clean step passes', m: {}, verdict: 'pass' },
  {
    name: 'slo breach fails',
    m: { sloPassed: false, sloBreaches: [breach(1.2)] },
    verdict: 'fail',
    decisive: false,
    reason: /slo breached: .*p\(95\)<100 \(observed 120\)/,
  },
  {
    name: 'slo breach by half is decisive',
    m: { sloPassed: false, sloBreaches: [breach(1.6)] },
    verdict: 'fail',
    decisive: true,
  },
  {
    name: 'achieved under 95 % of offered: saturated',
    m: { achievedRps: 9.2 },
    verdict: 'fail',
    saturated: true,
    decisive: false,
    reason: /completed 9.2 of 10 rps/,
  },
  { name: 'achieved under 90 %: decisive', m: { achievedRps: 6 }, verdict: 'fail', saturated: true, decisive: true },
  {
    name: 'latency rising through the window: saturated',
    m: { halvesP50Ms: { first: 100, second: 400 } },
    verdict: 'fail',
    saturated: true,
    reason: /rose from 100 ms to 400 ms/,
  },
  { name: 'small latency wobble is not growth', m: { halvesP50Ms: { first: 4, second: 9 } }, verdict: 'pass' },
  { name: 'dropped iterations: invalid', m: { droppedIterations: 3 }, verdict: 'invalid', reason: /dropped 3 of 100/ },
  { name: 'late starts: invalid', m: { startLagP95Ms: 900 }, verdict: 'invalid', reason: /start lag 900 ms/ },
  {
    name: 'nothing measured: invalid',
    m: { requests: 0, achievedRps: 0 },
    verdict: 'invalid',
    reason: /only 0 requests/,
  },
  {
    name: 'slo breach and dropped: still a fail',
    m: { sloPassed: false, sloBreaches: [breach(2)], droppedIterations: 10 },
    verdict: 'fail',
    reason: /also invalid: load generator dropped/,
  },
  {
    name: 'under-achieving because the generator dropped: invalid, not saturated',
    m: { droppedIterations: 20, achievedRps: 8 },
    verdict: 'invalid',
    saturated: false,
  },
  {
    name: 'dropped because requests queued at the target: invalid but saturated (a ceiling for the search)',
    m: { droppedIterations: 30, achievedRps: 5 },
    verdict: 'invalid',
    saturated: true,
  },
  {
    name: 'no slo: 1 % error limit applies',
    m: { sloPassed: null, errorRate: 0.02 },
    verdict: 'fail',
    reason: /error rate 2.0 % above 1.0 %/,
  },
  { name: 'no slo, few errors: pass', m: { sloPassed: null, errorRate: 0.005 }, verdict: 'pass' },
];

for (const row of table) {
  test(`judgeStep: ${row.name}`, () => {
    const j = judgeStep(step(row.m));
    assert.equal(j.verdict, row.verdict, j.reasons.join('; '));
    if (row.saturated !== undefined) assert.equal(j.saturated, row.saturated);
    if (row.decisive !== undefined) assert.equal(j.decisive, row.decisive);
    if (row.reason) assert.match(j.reasons.join('; '), row.reason);
    assert.equal(j.reasons.length === 0, row.verdict === 'pass');
  });
}

test('judgeStep: a stricter error limit applies on top of a passing slo', () => {
  const j = judgeStep(step({ errorRate: 0.03 }), { ...judgeStepDefaults(), maxErrorRate: 0.01 });
  assert.equal(j.verdict, 'fail');
});

function judgeStepDefaults() {
  return {
    minAchievedRatio: 0.95,
    minDeliveredRatio: 0.95,
    maxDroppedRatio: 0,
    maxStartLagP95Ms: 250,
    latencyGrowthRatio: 1.5,
    latencyGrowthMinMs: 25,
    maxErrorRate: null,
    minRequests: 5,
  };
}

test('generatorUndeliveredReason: drops with the target keeping up end the search as the generator; a target failure or too few requests does not', async () => {
  const { generatorUndeliveredReason } = await import('./acceptance.ts');
  const g = { k6CpuShare: 0.62, waitShare: 0.3, allowedCores: 1, limitedBy: 'affinity 0' };
  const dropped = 'load generator dropped 17 of 902 arrivals (1.9 %): no free VU';
  assert.match(
    generatorUndeliveredReason({ verdict: 'invalid', reasons: [dropped], saturated: false, decisive: false }, g)!,
    /^load generator dropped 17 of 902 arrivals .* while the target kept up \(k6 used 62 % of the 1 core it may use \(affinity 0\) and waited for a CPU another 30 %\); the generator, not the target/,
  );
  // the target also failed something: not the generator's alone
  assert.equal(
    generatorUndeliveredReason(
      { verdict: 'invalid', reasons: [dropped, 'also: error rate 9 % above 5 %'], saturated: false, decisive: false },
      g,
    ),
    undefined,
  );
  assert.equal(
    generatorUndeliveredReason(
      {
        verdict: 'invalid',
        reasons: ['only 3 requests measured (at least 10 needed)'],
        saturated: false,
        decisive: false,
      },
      g,
    ),
    undefined,
  );
  assert.equal(
    generatorUndeliveredReason({ verdict: 'pass', reasons: [], saturated: false, decisive: false }, g),
    undefined,
  );
});
