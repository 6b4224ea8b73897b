import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LoadConfig } from '../run-config.ts';
import { withWorkloadDefaults } from '../workload/defaults.ts';
import { planRun, SCENARIOS } from '../scenarios.ts';
import { CLOSED_BLOCK_MAX, CLOSED_BLOCK_MIN, phaseBlocks, phaseRequests } from './requests.ts';
import { breakpointPlan, comparePlan, concurrencyPlan } from './shapes.ts';

const LOAD: LoadConfig = {
  rateRps: 2,
  maxRateRps: 10,
  durationSeconds: 30,
  warmupSeconds: 5,
  vus: 2,
  maxVus: 8,
  arrival: 'constant',
  seed: 1,
};
const W = withWorkloadDefaults({});

test('phaseBlocks: arrival-rate phases get their planned arrivals and one more, back to back', () => {
  const { plan } = planRun('ramp', 'reference', { ...LOAD, rateRps: 1, maxRateRps: 9, durationSeconds: 50 }, W);
  // warm-up 5 s at 1 rps, then 5 steps of 10 s at 1, 3, 5, 7, 9 rps; each one line more for the iteration
  // k6 may start exactly at the end
  assert.deepEqual(
    phaseBlocks(plan).map((b) => [b.name, b.from, b.count]),
    [
      ['warmup', 0, 6],
      ['step-01', 6, 11],
      ['step-02', 17, 31],
      ['step-03', 48, 51],
      ['step-04', 99, 71],
      ['step-05', 170, 91],
    ],
  );
  const bp = breakpointPlan({ load: LOAD, workload: W, llmShare: 1 });
  assert.equal(phaseRequests(bp.phases[1]!), 181, 'ramping: the mean rate times the duration, plus one');
});

test('phaseRequests: closed-model phases are sized per VU-second within bounds; compare-plan has one request per prompt', () => {
  const c = concurrencyPlan({ load: { ...LOAD, concurrency: [1, 400] }, workload: W, llmShare: 1 });
  assert.deepEqual(c.phases.map(phaseRequests), [CLOSED_BLOCK_MIN, 300, CLOSED_BLOCK_MAX]);
  const cp = comparePlan({
    load: LOAD,
    workload: withWorkloadDefaults({ planPrompts: 7, planWarmup: 2, planMeasured: 3 }),
    llmShare: 1,
  });
  assert.equal(phaseRequests(cp.phases[0]!), 7);
});

test('planRun: every scenario plans for an API that carries its traffic; llm-stream forces streaming; trace needs its rows', () => {
  for (const name of Object.keys(SCENARIOS)) {
    if (name === 'trace') continue;
    const r = planRun(name, 'reference', LOAD, { ...W, stream: false });
    assert.ok(r.plan.phases.length > 0, name);
    assert.equal(r.workload.stream, name === 'llm-stream', name);
  }
  assert.equal(
    planRun('capacity', 'reference', LOAD, W).llmShare,
    W.classMix,
    'capacity on a two-class target is mixed',
  );
  assert.equal(planRun('capacity', 'openai-chat', LOAD, W).llmShare, 1);
  assert.throws(() => planRun('trace', 'reference', LOAD, W), /TRACE: the trace scenario replays a trace file/);
  const t = planRun('trace', 'reference', LOAD, W, { requests: 12, lastAtMs: 4000 }).plan;
  assert.deepEqual(
    t.phases.map((p) => [p.name, p.trace, p.executor]),
    [['trace', true, { kind: 'shared-iterations', vus: 8, iterations: 12, maxDurationS: 4 + 120 + 5 }]],
  );
  assert.throws(() => planRun('nope', 'reference', LOAD, W), /scenario: must be one of smoke/);
  assert.throws(() => planRun('diffusion', 'openai-chat', LOAD, W), /cannot send image traffic/);
});
