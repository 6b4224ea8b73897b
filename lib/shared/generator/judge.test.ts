import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TREND } from '../metrics.ts';
import type { ClassStageStats, SloVerdict, StageSummary, Summary } from '../summary.ts';
import { judgeValidity, type PhaseDelivery } from '../validity.ts';
import { deliveryVerdicts } from '../verdicts.ts';
import type { GeneratorStage } from './figures.ts';
import { boundReason, generatorVerdict, judgeWithGenerator } from './judge.ts';
import { generatorAnswer, generatorLines } from './text.ts';

const e2e = (avgMs: number, count: number, serverMs?: number): ClassStageStats =>
  ({
    latency: {
      [TREND.e2eMs]: { count, avg: avgMs, min: avgMs, p50: avgMs, p90: avgMs, p95: avgMs, p99: avgMs, max: avgMs },
      ...(serverMs === undefined
        ? {}
        : {
            [TREND.serverTotalMs]: {
              count,
              avg: serverMs,
              min: serverMs,
              p50: serverMs,
              p90: serverMs,
              p95: serverMs,
              p99: serverMs,
              max: serverMs,
            },
          }),
    },
  }) as unknown as ClassStageStats;

const stage = (over: Partial<StageSummary>): StageSummary => ({
  stage: 'measure',
  judged: true,
  durationS: 8,
  startS: 0,
  offeredRps: 100,
  achievedRps: 100,
  requests: 800,
  completed: true,
  classes: { llm: e2e(70, 800) },
  ...over,
});

const phase = (over: Partial<PhaseDelivery>): PhaseDelivery => ({
  phase: 'measure',
  stages: ['measure'],
  judged: true,
  plannedArrivals: 800,
  droppedIterations: 0,
  maxVus: 64,
  preAllocatedVus: 64,
  ...over,
});

function summaryOf(
  stages: StageSummary[],
  phases: PhaseDelivery[],
  verdicts: SloVerdict[],
  scenario = 'llm-stream',
): Summary {
  const validity = judgeValidity(stages, phases, undefined);
  const all = [...verdicts, ...deliveryVerdicts(validity.targetLimits, () => 'llm')];
  return {
    schemaVersion: 1,
    tool: 'genload',
    scenario,
    runId: 'r',
    target: { url: 'http://127.0.0.1:1', api: 'openai-chat', model: null },
    load: {},
    workload: {},
    durationMs: 8000,
    validity,
    slo: { name: 'default', passed: all.every((v) => v.ok), aborted: false, verdicts: all },
    stages,
  } as Summary;
}

const ok = (stageName: string, okay = true): SloVerdict => ({
  stage: stageName,
  class: 'llm',
  meaning: 'e2e p95 < 1000 ms',
  metric: `genload_e2e_ms{class:llm,stage:${stageName}}`,
  expression: 'p(95)<1000',
  ok: okay,
});

// Recorded with bench/generator/run.ts (k6 on one core, 64-token streams, zero-cost server on the other core)
const SATURATED: GeneratorStage = {
  stage: 'measure',
  k6CpuCores: 0.95,
  allowedCores: 1,
  k6CpuShare: 0.95,
  k6WaitCores: 0.042,
  probeLagP95Ms: 11,
  sampledS: 8,
};
const HEADROOM: GeneratorStage = {
  stage: 'measure',
  k6CpuCores: 0.59,
  allowedCores: 1,
  k6CpuShare: 0.59,
  k6WaitCores: 0.23,
  probeLagP95Ms: 4,
  sampledS: 8,
};

test('the classifier: k6 at 95 % of its core is bound; 59 % + 23 % waiting is headroom; 74 % + 20 % waiting is bound', () => {
  assert.match(
    boundReason(SATURATED)!,
    /^measure: k6 used 95 % of the 1 core it may use; the generator, not the target, was the limit; add INSTANCES or cores$/,
  );
  assert.equal(boundReason(HEADROOM), undefined);
  assert.match(
    boundReason({ ...HEADROOM, k6CpuShare: 0.74, k6CpuCores: 0.74, k6WaitCores: 0.2, probeLagP95Ms: 12.3 })!,
    /k6 used 74 % of the 1 core it may use and waited for a CPU another 20 %/,
  );
  // the same figures late by its iterations' start lag instead of the probe
  assert.ok(boundReason({ ...HEADROOM, k6CpuShare: 0.74, k6CpuCores: 0.74, k6WaitCores: 0.2 }, 7) !== undefined);
  // waiting on a busy host while k6 kept its schedule (a 2-VU smoke stage: probe 2.1 ms, nothing late): headroom
  assert.equal(
    boundReason({
      ...HEADROOM,
      allowedCores: 2,
      k6CpuShare: 0.35,
      k6CpuCores: 0.7,
      k6WaitCores: 1.1,
      probeLagP95Ms: 2.1,
    }),
    undefined,
  );
  // the probe alone: other processes starved k6 (27 % of its core, probe 57 ms late)
  assert.match(
    boundReason({ stage: 'measure', k6CpuShare: 0.27, allowedCores: 1, probeLagP95Ms: 57.3, sampledS: 8 })!,
    /probe woke p95 57.3 ms late/,
  );
  assert.match(boundReason({ ...SATURATED, allowedCores: 2 })!, /of the 2 cores it may use/);
});

test('a stage with drops and a saturated generator: invalid, the drops are not the target limit, exit reason names k6', () => {
  // 20,000 rps offered, every VU started before the stage (the old rule blamed the target for every drop)
  const st = stage({ offeredRps: 20000, requests: 21170, achievedRps: 2646, classes: { llm: e2e(68, 21170) } });
  const ph = phase({ plannedArrivals: 160000, droppedIterations: 138832 });
  const before = summaryOf([st], [ph], [ok('measure')]);
  assert.equal(before.validity.targetLimits.length, 1, 'without the CPU figures the drops read as the target limit');

  const after = judgeWithGenerator(before, [SATURATED], { limitedBy: 'affinity 0' });
  assert.equal(after.validity.valid, false);
  assert.deepEqual(after.validity.targetLimits, []);
  assert.ok(
    after.slo.verdicts.every((v) => v.delivery !== true),
    'no delivery verdict against the target',
  );
  assert.match(after.validity.reasons.join('\n'), /stage measure: k6 used 95 % of the 1 core it may use/);
  assert.match(after.validity.notes.join('\n'), /k6 dropped 138832 of 160000 arrivals while it was out of CPU/);
  assert.equal(after.generator?.firstBoundStage, 'measure');
  const v = generatorVerdict(after);
  assert.equal(v.targetBreach, false);
  assert.deepEqual(v.reasons, [boundReason(SATURATED)]);
  assert.match(generatorLines(after).join('\n'), /BOUND measure: k6 95 % of 1 core \(\+4 % waiting for it\)/);
});

test('with headroom, all VUs busy still names the target', () => {
  const st = stage({ offeredRps: 300, requests: 80, achievedRps: 10, classes: { llm: e2e(1000, 80) } });
  const ph = phase({ plannedArrivals: 2400, droppedIterations: 2300, maxVus: 10, preAllocatedVus: 10 });
  const after = judgeWithGenerator(summaryOf([st], [ph], [ok('measure')]), [{ ...HEADROOM, k6CpuShare: 0.05 }]);
  assert.equal(after.validity.valid, true, after.validity.reasons.join('; '));
  assert.equal(after.validity.targetLimits.length, 1);
  assert.ok(after.slo.verdicts.some((v) => v.delivery === true && !v.ok));
  assert.equal(generatorVerdict(after).firstBoundStage, undefined);
});

test('a ramp: the answer stops before the first generator-bound step; a breach there is not the target', () => {
  const steps = [1, 2, 3].map((k) =>
    stage({ stage: `step-0${k}`, startS: (k - 1) * 8, offeredRps: 400 * k, requests: 3200 * k }),
  );
  const figures = [
    { ...HEADROOM, stage: 'step-01', k6CpuShare: 0.36 },
    { ...HEADROOM, stage: 'step-02' },
    { ...SATURATED, stage: 'step-03' },
  ];
  const s = summaryOf(steps, [], [ok('step-01'), ok('step-02'), ok('step-03', false)], 'ramp');
  s.slo.highestPassingRps = 800;
  const after = judgeWithGenerator(s, figures);
  assert.equal(after.slo.highestPassingRps, 800);
  assert.equal(after.slo.passed, true, 'the failed verdict of the bound step is not evidence');
  const v = generatorVerdict(after);
  assert.equal(v.firstBoundStage, 'step-03');
  assert.equal(v.targetBreach, false);
  assert.equal(
    generatorAnswer(after, (st) => `${st} load`),
    'Generator-bound at step-03 load: step-03: k6 used 95 % of the 1 core it may use; the generator, not the target, was the limit; add INSTANCES or cores. The answer is at least 800 requests/s.',
  );

  // a breach at step-02, where k6 had headroom, stays the target's
  const breached = summaryOf(steps, [], [ok('step-01'), ok('step-02', false), ok('step-03', false)], 'ramp');
  breached.slo.highestPassingRps = 400;
  const b = judgeWithGenerator(breached, figures);
  assert.equal(generatorVerdict(b).targetBreach, true);
  assert.equal(b.slo.highestPassingRps, 400);
});

test('server time share per stage comes from Server-Timing when the target sends it', () => {
  const st = stage({ classes: { llm: e2e(100, 800, 90) } });
  const after = judgeWithGenerator(summaryOf([st], [phase({})], [ok('measure')]), [
    { ...HEADROOM, serverTime: { source: 'Server-Timing', serverMs: 90, e2eMs: 100, serverShare: 0.9 } },
  ]);
  assert.match(generatorLines(after).join('\n'), /Server-Timing: server 90 % of e2e, client \+ network 10 %/);
});
