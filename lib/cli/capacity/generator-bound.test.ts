import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STEP_SCHEMA_VERSION, type StepMeasurement } from '../../shared/capacity/measurement.ts';
import { ExitCode } from '../../shared/exit-codes.ts';
import { DEFAULT_ACCEPTANCE, generatorBoundReason } from './acceptance.ts';
import { highestPassBefore } from './generator-bound.ts';
import { capacitySentence } from './report-pages.ts';
import { searchCapacity, type SearchOptions, type SearchState } from './search.ts';
import type { StepRun, StepSpec } from './step.ts';

const OPTS: SearchOptions = {
  stepper: {
    levels: { kind: 'rate', startRps: 100, minRps: 1, maxRps: 100_000 },
    toleranceRatio: 0.05,
    maxSteps: 20,
    confirmRepeats: 1,
  },
  acceptance: DEFAULT_ACCEPTANCE,
  deadlineMs: 1e12,
  maxVus: 64,
  window: { warmupSeconds: 1, minSeconds: 5, maxSeconds: 5 },
  probe: null,
};

const rateOf = (spec: StepSpec): number => ('rateRps' in spec.level ? spec.level.rateRps : spec.level.concurrency);

/** A target that never breaks; k6 on one core runs out of CPU from 800 rps (its share grows with the rate). */
function measure(spec: StepSpec): StepMeasurement {
  const rate = rateOf(spec);
  return {
    schemaVersion: STEP_SCHEMA_VERSION,
    offeredRps: rate,
    measureSeconds: 4,
    scheduled: rate * 4,
    droppedIterations: 0,
    achievedRps: rate,
    requests: rate * 4,
    errorRate: 0,
    latency: { 'llm.e2eMs': { p50Ms: 60, p95Ms: 70, p99Ms: 80, count: rate * 4 } },
    halvesP50Ms: { first: 60, second: 60 },
    startLagP95Ms: 1,
    sloPassed: true,
    sloBreaches: [],
    outputTokens: rate * 4 * 64,
    images: 0,
  };
}

test('capacity: the first generator-bound step ends the search with exit 5 and a lower bound, never a sustainable figure', async () => {
  let clock = 0;
  const persisted: SearchState[] = [];
  const state = await searchCapacity(OPTS, {
    runStep: async (spec): Promise<StepRun> => {
      clock += 5000;
      return {
        dir: `step-${spec.index}`,
        startedAt: new Date(0),
        wallSeconds: 5,
        k6ExitCode: 0,
        measurement: measure(spec),
        stopped: null,
        generator: { k6CpuShare: Math.min(0.98, rateOf(spec) / 800), allowedCores: 1, limitedBy: 'affinity 0' },
      };
    },
    persist: (s) => persisted.push(structuredClone(s)),
    log: () => {},
    nowMs: () => clock,
  });
  assert.equal(state.status, 'generator-bound');
  assert.equal(state.exitCode, ExitCode.RunInvalid);
  // 100 and 200 and 400 pass; 800 is k6's limit
  assert.equal(
    state.message,
    'generator-bound at 800 requests/s (k6 used 98 % of its CPU): the answer is at least 400 requests/s; add INSTANCES or cores',
  );
  const last = state.rows[state.rows.length - 1]!;
  assert.equal(last.verdict, 'invalid');
  assert.match(last.reasons[0]!, /k6 used 98 % of the 1 core it may use \(affinity 0\)/);
  assert.equal(persisted[persisted.length - 1]!.status, 'generator-bound');
  const sentence = capacitySentence({
    status: 'generator-bound',
    message: state.message,
    result: state.result,
    loadModel: 'open',
    slo: { name: 'x' },
  } as unknown as Parameters<typeof capacitySentence>[0]);
  assert.match(sentence, /^Generator-bound at 800 requests\/s .*the answer is at least 400 requests\/s/);
});

test('generator-bound rule for a step: share of CPU, or share plus the time k6 waited for a core', () => {
  assert.equal(generatorBoundReason({ k6CpuShare: 0.59, waitShare: 0.23, allowedCores: 1, limitedBy: 'a' }), undefined);
  assert.match(
    generatorBoundReason({ k6CpuShare: 0.74, waitShare: 0.2, allowedCores: 1, limitedBy: 'a' })!,
    /waited for a CPU another 20 %/,
  );
  assert.equal(generatorBoundReason(null), undefined);
  assert.equal(
    highestPassBefore([
      { level: 1, verdict: 'pass', achievedRps: 1, saturated: false, decisive: false },
      { level: 4, verdict: 'fail', achievedRps: 3, saturated: true, decisive: false },
      { level: 2, verdict: 'pass', achievedRps: 2, saturated: false, decisive: false },
    ]),
    2,
  );
});
