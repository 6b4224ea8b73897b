import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TREND } from './metrics.ts';
import type { ClassStageStats, StageSummary } from './summary.ts';
import { judgeValidity, neededConcurrency, type PhaseDelivery } from './validity.ts';

const e2e = (avgMs: number, count: number): ClassStageStats =>
  ({
    latency: {
      [TREND.e2eMs]: { count, avg: avgMs, min: avgMs, p50: avgMs, p90: avgMs, p95: avgMs, p99: avgMs, max: avgMs },
    },
  }) as unknown as ClassStageStats;
const stage = (over: Partial<StageSummary>): StageSummary => ({
  stage: 'measure',
  judged: true,
  durationS: 20,
  offeredRps: 3,
  achievedRps: 3,
  requests: 60,
  completed: true,
  classes: { llm: e2e(1000, 60) },
  ...over,
});
const phase = (over: Partial<PhaseDelivery>): PhaseDelivery => ({
  phase: 'measure',
  stages: ['measure'],
  judged: true,
  plannedArrivals: 60,
  droppedIterations: 0,
  maxVus: 64,
  ...over,
});

test("neededConcurrency is offered rps × mean e2e over the classes (Little's law)", () => {
  assert.equal(
    neededConcurrency(stage({ offeredRps: 300, classes: { llm: e2e(1000, 10), image: e2e(3000, 10) } })),
    600,
  );
  assert.equal(neededConcurrency(stage({ offeredRps: undefined })), undefined);
});

test('a slow target at a low rate is valid; one arrival dropped while VUs start is a note, not a verdict', () => {
  assert.deepEqual(judgeValidity([stage({})], [phase({})], 2).reasons, []);
  const v = judgeValidity([stage({ requests: 59, achievedRps: 2.95 })], [phase({ droppedIterations: 1 })], 2);
  assert.equal(v.valid, true, v.reasons.join('; '));
  assert.match(v.notes[0]!, /stage measure: k6 dropped 1 of 60 arrivals while starting VUs .*tolerated/);
  assert.deepEqual(v.targetLimits, []);
});

test("drops because every allowed VU was busy are the target's limit, not an invalid run", () => {
  // 300 rps × 1 s = 300 requests in flight needed, MAX_VUS 10
  const st = stage({ offeredRps: 300, requests: 200, achievedRps: 10, classes: { llm: e2e(1000, 200) } });
  const v = judgeValidity([st], [phase({ plannedArrivals: 6000, droppedIterations: 5800, maxVus: 10 })], 1);
  assert.equal(v.valid, true, v.reasons.join('; '));
  assert.equal(v.targetLimits.length, 1);
  assert.match(
    v.targetLimits[0]!.message,
    /stage measure: the target needed more than MAX_VUS=10 concurrent requests \(about 300 in flight/,
  );
  assert.doesNotMatch(JSON.stringify(v), /saturated/);
});

test("drops when every VU was started before the stage are the target's, even when the mean latency understates the queue", () => {
  // the default ramp's step-03: 10.5 rps, mean e2e 3.26 s (34 in flight by Little's law) but a queue growing to 8 s;
  // all 64 VUs pre-allocated, 4 arrivals dropped: every VU was busy
  const st = stage({ stage: 'step-03', offeredRps: 10.5, requests: 64, classes: { llm: e2e(3257, 64) } });
  const drops = { phase: 'step-03', stages: ['step-03'], plannedArrivals: 126, droppedIterations: 4, maxVus: 64 };
  const v = judgeValidity([st], [phase({ ...drops, preAllocatedVus: 64 })], 1);
  assert.equal(v.valid, true, v.reasons.join('; '));
  assert.match(
    v.targetLimits[0]!.message,
    /all 64 VUs were started before the stage and every one was busy when k6 dropped 4 of 126 arrivals/,
  );
  // VUs still being started: the same drops are the generator's
  const starting = judgeValidity([st], [phase({ ...drops, preAllocatedVus: 20 })], 1);
  assert.equal(starting.valid, false);
  assert.match(starting.reasons[0]!, /while starting VUs/);
});

test('a trace replay that left its schedule is invalid; one that kept it is valid', () => {
  const trace = (lag: number) => stage({ offeredRps: undefined, startLagP95Ms: lag });
  assert.equal(judgeValidity([trace(3)], [], 1).valid, true);
  const late = judgeValidity([trace(420)], [], 1);
  assert.equal(late.valid, false);
  assert.match(
    late.reasons[0]!,
    /the trace's schedule was not kept: requests left p95 420\.0 ms after their arrival times/,
  );
});

test('the generator is judged on what it controls: its probe, start lag without drops, drops while starting VUs beyond 1 %', () => {
  assert.match(
    judgeValidity([stage({})], [phase({})], 80).reasons[0]!,
    /load generator saturated: k6's probe woke p95 80\.0 ms late/,
  );
  assert.match(
    judgeValidity([stage({ startLagP95Ms: 80 })], [phase({})], 1).reasons[0]!,
    /iterations that had a free VU started p95 80\.0 ms behind/,
  );
  // with drops, every later iteration index is shifted: start lag is not evidence then
  const shifted = judgeValidity([stage({ startLagP95Ms: 334.7 })], [phase({ droppedIterations: 1 })], 1);
  assert.equal(shifted.valid, true, shifted.reasons.join('; '));
  const many = judgeValidity([stage({ requests: 50 })], [phase({ droppedIterations: 10 })], 1);
  assert.equal(many.valid, false);
  assert.deepEqual(many.reasons.length, 1, 'the drops say what was not sent; the completions add nothing');
  assert.match(many.reasons[0]!, /k6 dropped 10 of 60 arrivals while starting VUs/);
  // a stage whose phase is unknown (an older summary) is still judged on its achieved rate
  assert.match(
    judgeValidity([stage({ requests: 40, achievedRps: 2 })], [], 1).reasons[0]!,
    /achieved 2\.00 rps, under 95 %/,
  );
  // no drops: k6 started every arrival; fewer completions are requests in flight when the stage (or an aborted ramp) ended
  assert.equal(judgeValidity([stage({ requests: 40, achievedRps: 2 })], [phase({})], 1).valid, true);
  // one tolerated drop plus requests cut by an abort: still valid
  assert.equal(
    judgeValidity([stage({ requests: 40, achievedRps: 2 })], [phase({ droppedIterations: 1 })], 1).valid,
    true,
  );
  // incomplete stages and warm-up are not judged on their rate
  assert.equal(
    judgeValidity([stage({ requests: 1, completed: false }), stage({ stage: 'warmup', requests: 1 })], [], undefined)
      .valid,
    true,
  );
});
