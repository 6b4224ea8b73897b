import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requestShortfalls } from '../../k6/plan/feasibility.ts';
import { planRun } from '../../shared/scenarios.ts';
import { withWorkloadDefaults } from '../../shared/workload/defaults.ts';
import type { StepBaseConfig } from './step.ts';
import { stepDurationS } from './step-length.ts';

const chat = {
  schemaVersion: 1 as const,
  name: 'interactive-chat',
  classes: { llm: { minRequests: 10, e2eMs: { p95: 8000 } }, image: { minRequests: 5, e2eMs: { p95: 30000 } } },
};

function config(workload: Record<string, unknown>, api: 'openai-chat' | 'reference' = 'openai-chat'): StepBaseConfig {
  return {
    schemaVersion: 1,
    scenario: 'capacity',
    runId: 'r',
    runDir: '/tmp/r',
    target: { url: 'http://h', api, managed: false, readyPath: '/' },
    load: {
      rateRps: 1,
      maxRateRps: 8,
      durationSeconds: 10,
      warmupSeconds: 3,
      vus: 1,
      maxVus: 64,
      arrival: 'constant',
      seed: 1,
    },
    sloPath: null,
    slo: chat,
    workload,
  } as StepBaseConfig;
}

test('a capacity step at a low rate measures long enough for the SLO minRequests, and never shorter than configured', () => {
  const c = config({ trafficClass: 'llm' });
  assert.equal(stepDurationS(c, 4), 10, 'fast enough: the configured 10 s');
  assert.equal(stepDurationS(c, 0.5), 18, '9 more after the first: 9 / 0.5 rps');
  // both classes at a 50 % mix: each needs its own share
  assert.equal(stepDurationS(config({ classMix: 0.5 }, 'reference'), 0.5), 38);
});

test('the lengthened step is one the scenario accepts (no request shortfall)', () => {
  for (const rateRps of [0.25, 0.3, 0.5, 0.9, 1, 3]) {
    for (const [workload, api] of [
      [{ trafficClass: 'llm' }, 'openai-chat'],
      [{ classMix: 0.3 }, 'reference'],
    ] as const) {
      const c = config(workload, api);
      const load = { ...c.load, rateRps, durationSeconds: stepDurationS(c, rateRps) };
      const { plan } = planRun('capacity', api, load, withWorkloadDefaults(workload));
      assert.deepEqual(requestShortfalls(plan, chat), [], `${rateRps} rps ${JSON.stringify(workload)}`);
    }
  }
});
