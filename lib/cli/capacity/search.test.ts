import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_ACCEPTANCE } from './acceptance.ts';
import { STEP_SCHEMA_VERSION, type StepMeasurement } from '../../shared/capacity/measurement.ts';
import { ExitCode } from '../../shared/exit-codes.ts';
import { searchCapacity, vusFor, type SearchOptions, type SearchState } from './search.ts';
import type { StepRun, StepSpec } from './step.ts';

const OPTS: SearchOptions = {
  stepper: { startRps: 5, minRps: 1, maxRps: 1000, toleranceRatio: 0.05, maxSteps: 20, confirmRepeats: 1 },
  acceptance: DEFAULT_ACCEPTANCE,
  deadlineMs: 1e12,
  maxVus: 64,
  stepSeconds: 5,
};

/** A fake target: SLO holds up to capacityRps; the clock advances 5 s per step. */
function fakeStep(capacityRps: number, p95Ms = 100): (spec: StepSpec) => StepMeasurement {
  return (spec) => {
    const over = spec.rateRps > capacityRps;
    return {
      schemaVersion: STEP_SCHEMA_VERSION,
      offeredRps: spec.rateRps,
      measureSeconds: 4,
      scheduled: Math.round(spec.rateRps * 4),
      droppedIterations: 0,
      achievedRps: Math.min(spec.rateRps, capacityRps),
      requests: Math.round(spec.rateRps * 4),
      errorRate: 0,
      latency: {
        'image.e2eMs': { p50Ms: p95Ms * 0.9, p95Ms: over ? p95Ms * 5 : p95Ms, p99Ms: p95Ms * 1.1, count: 10 },
      },
      halvesP50Ms: { first: 90, second: 90 },
      startLagP95Ms: 1,
      sloPassed: !over,
      sloBreaches: over
        ? [{ metric: 'genload_e2e_ms{class:image,stage:measure}', expression: 'p(95)<300', observed: 500, ratio: 1.7 }]
        : [],
      outputTokens: 0,
      images: Math.round(spec.rateRps * 4),
    };
  };
}

function harness(step: (spec: StepSpec, n: number) => Omit<StepRun, 'dir' | 'startedAt' | 'wallSeconds'>) {
  let clockMs = 0;
  const persisted: SearchState[] = [];
  const lines: string[] = [];
  let n = 0;
  return {
    persisted,
    lines,
    deps: {
      runStep: async (spec: StepSpec): Promise<StepRun> => {
        clockMs += 5000;
        return { dir: `step-${spec.index}`, startedAt: new Date(0), wallSeconds: 5, ...step(spec, n++) };
      },
      persist: (s: SearchState) => persisted.push(structuredClone(s)),
      log: (l: string) => lines.push(l),
      nowMs: () => clockMs,
    },
  };
}

test('search: finds the capacity, exit 0, a progress line and a persisted state per step', async () => {
  const fake = fakeStep(40);
  const h = harness((spec) => ({ k6ExitCode: 0, measurement: fake(spec), stopped: null }));
  const state = await searchCapacity(OPTS, h.deps);
  assert.equal(state.exitCode, ExitCode.Passed);
  assert.equal(state.status, 'found');
  assert.ok(state.result!.sustainableRps! <= 40 && state.result!.sustainableRps! >= 38);
  assert.equal(h.lines.length, state.rows.length);
  assert.match(
    h.lines[0]!,
    /^step 1 probe 5 rps: achieved 5.0 rps, image.e2eMs p95 100 ms, errors 0.0 % -> pass \| interval \[5, -\] \| ~\d+s left/,
  );
  assert.equal(h.persisted.length, state.rows.length + 1);
});

test('search: nothing passes -> exit 6 with the lowest rate named', async () => {
  const fake = fakeStep(0);
  const h = harness((spec) => ({ k6ExitCode: 99, measurement: fake(spec), stopped: null }));
  const state = await searchCapacity({ ...OPTS, stepper: { ...OPTS.stepper, minRps: 5 } }, h.deps);
  assert.equal(state.exitCode, ExitCode.NoSustainableRate);
  assert.equal(state.message, 'no sustainable rate at or above 5 rps');
});

test('search: target down mid-search -> exit 4, measured steps kept and persisted', async () => {
  const fake = fakeStep(40);
  const h = harness((spec, n) =>
    n < 3
      ? { k6ExitCode: 0, measurement: fake(spec), stopped: null }
      : { k6ExitCode: 105, measurement: null, stopped: { kind: 'target-down', reason: 'ECONNREFUSED' } },
  );
  const state = await searchCapacity(OPTS, h.deps);
  assert.equal(state.exitCode, ExitCode.TargetUnreachable);
  assert.equal(state.status, 'target-down');
  assert.equal(state.rows.length, 3);
  assert.match(state.message, /target went down during step 4 \(ECONNREFUSED\); kept 3 measured steps/);
  assert.equal(h.persisted[h.persisted.length - 1]!.status, 'target-down');
});

test('search: k6 failing without a result stops with exit 3', async () => {
  const h = harness(() => ({ k6ExitCode: 107, measurement: null, stopped: null }));
  const state = await searchCapacity(OPTS, h.deps);
  assert.equal(state.exitCode, ExitCode.K6Unavailable);
  assert.match(state.message, /k6 exited 107/);
});

test('search: the time budget stops before a step that would not fit', async () => {
  const fake = fakeStep(40);
  const h = harness((spec) => ({ k6ExitCode: 0, measurement: fake(spec), stopped: null }));
  const state = await searchCapacity({ ...OPTS, deadlineMs: 17_000 }, h.deps);
  assert.equal(state.status, 'incomplete');
  assert.equal(state.rows.length, 3);
  assert.match(state.message, /time budget spent after 3 steps/);
});

test('vusFor: sized from the latency of the nearest lower step', () => {
  const m = fakeStep(100, 500)({ index: 1, rateRps: 10, vus: 1, maxVus: 1 });
  assert.deepEqual(vusFor(10, [], 64), { vus: 17, maxVus: 64 });
  assert.deepEqual(vusFor(20, [m], 64), { vus: 19, maxVus: 64 }); // p99 0.55 s: 20 × 0.55 × 1.5 + 2
  assert.equal(vusFor(300, [m], 64).maxVus, 400);
});
