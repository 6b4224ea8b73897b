import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_ACCEPTANCE } from './acceptance.ts';
import { STEP_SCHEMA_VERSION, type StepMeasurement } from '../../shared/capacity/measurement.ts';
import { ExitCode } from '../../shared/exit-codes.ts';
import { searchCapacity, vusFor, type SearchOptions, type SearchState } from './search.ts';
import type { StepRun, StepSpec } from './step.ts';
import { resultLevels } from './stepper.ts';

const OPTS: SearchOptions = {
  stepper: {
    levels: { kind: 'rate', startRps: 5, minRps: 1, maxRps: 1000 },
    toleranceRatio: 0.05,
    maxSteps: 20,
    confirmRepeats: 1,
  },
  acceptance: DEFAULT_ACCEPTANCE,
  deadlineMs: 1e12,
  maxVus: 64,
  window: { warmupSeconds: 1, minSeconds: 2, maxSeconds: 4 },
  probe: null,
};

const PROBE = { concurrency: 64, warmupSeconds: 1, durationSeconds: 2 };

/**
 * A fake target: SLO holds up to capacityRps, each request takes p95Ms; a closed-model
 * step (the throughput probe) achieves min(capacity, concurrency / latency).
 * The clock advances 5 s per step.
 */
function fakeStep(
  capacityRps: number,
  p95Ms = 100,
  p99Ratio = 1.1,
  sloRps = capacityRps,
): (spec: StepSpec) => StepMeasurement {
  return (spec) => {
    const closed = 'concurrency' in spec.level;
    const rateRps =
      'concurrency' in spec.level ? Math.min(capacityRps, spec.level.concurrency / (p95Ms / 1000)) : spec.level.rateRps;
    const over = rateRps > sloRps || closed;
    return {
      schemaVersion: STEP_SCHEMA_VERSION,
      offeredRps: 'concurrency' in spec.level ? spec.level.concurrency : rateRps,
      ...('concurrency' in spec.level ? { concurrency: spec.level.concurrency } : {}),
      measureSeconds: spec.durationSeconds,
      scheduled: Math.round(rateRps * spec.durationSeconds),
      droppedIterations: 0,
      achievedRps: Math.min(rateRps, capacityRps),
      requests: Math.round(rateRps * spec.durationSeconds),
      errorRate: 0,
      latency: {
        'image.e2eMs': {
          p50Ms: p95Ms * 0.9,
          p95Ms: over ? p95Ms * 5 : p95Ms,
          p99Ms: p95Ms * p99Ratio,
          count: Math.round(rateRps * spec.durationSeconds),
        },
      },
      halvesP50Ms: { first: 90, second: 90 },
      startLagP95Ms: 1,
      sloPassed: !over,
      sloBreaches: over
        ? [{ metric: 'genload_e2e_ms{class:image,stage:measure}', expression: 'p(95)<300', observed: 500, ratio: 1.7 }]
        : [],
      outputTokens: 0,
      images: Math.round(rateRps * spec.durationSeconds),
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
  const found = resultLevels(state.result!).sustainable!;
  assert.ok('sustainableRps' in state.result! && found <= 40 && found >= 38);
  assert.equal(h.lines.length, state.rows.length);
  assert.match(
    h.lines[0]!,
    /^step 1 probe 5 rps: achieved 5.0 rps, image.e2eMs p95 100 ms, errors 0.0 % -> pass \| interval \[5, -\] \| 4 s window \(full: no stable level measured yet\) \| ~\d+s left/,
  );
  assert.equal(h.persisted.length, state.rows.length + 1);
});

test('search: nothing passes -> exit 6 with the lowest rate named', async () => {
  const fake = fakeStep(0);
  const h = harness((spec) => ({ k6ExitCode: 99, measurement: fake(spec), stopped: null }));
  const state = await searchCapacity(
    { ...OPTS, stepper: { ...OPTS.stepper, levels: { kind: 'rate', startRps: 5, minRps: 5, maxRps: 1000 } } },
    h.deps,
  );
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
  const m = fakeStep(
    100,
    500,
  )({
    index: 1,
    level: { rateRps: 10 },
    vus: 1,
    maxVus: 1,
    warmupSeconds: 1,
    durationSeconds: 4,
  });
  assert.deepEqual(vusFor(10, [], 64), { vus: 17, maxVus: 64 });
  assert.deepEqual(vusFor(20, [m], 64), { vus: 19, maxVus: 64 }); // p99 0.55 s: 20 × 0.55 × 1.5 + 2
  assert.equal(vusFor(300, [m], 64).maxVus, 400);
});

test('search with a throughput probe: the ceiling first, then a few level steps; wall time and windows recorded', async () => {
  // a steady latency (p99 1 % over p95): short windows where the level is known to be stable
  const fake = fakeStep(40, 100, 1.01);
  const specs: StepSpec[] = [];
  const h = harness((spec) => {
    specs.push(spec);
    return { k6ExitCode: 0, measurement: fake(spec), stopped: null };
  });
  const state = await searchCapacity({ ...OPTS, probe: PROBE }, h.deps);
  assert.equal(state.status, 'found', state.message);
  assert.deepEqual(specs[0]!.level, { concurrency: 64 });
  assert.equal(specs[0]!.durationSeconds, 2);
  assert.deepEqual(state.probe, { concurrency: 64, ceilingRps: 40 });
  assert.match(
    h.lines[0]!,
    /^step 1 throughput-probe 64 concurrent requests: achieved 40.0 rps, .* -> ceiling 40 rps$/,
  );
  // under the ceiling by half the tolerance, then above it: 39 passes (and again), 40.9 fails decisively
  assert.deepEqual(
    specs.slice(1).map((s) => ('rateRps' in s.level ? s.level.rateRps : null)),
    [39, 40.9, 39],
  );
  assert.deepEqual(state.result?.interval, { lowRps: 39, highRps: 40.9 });
  // the probe is a row (step 1) but no level measurement
  assert.equal(state.rows.length, 4);
  assert.equal(state.rows[0]!.concurrency, 64);
  assert.equal(state.rows[0]!.offeredRps, undefined);
  assert.equal(state.measurements.length, 3);
  // every step here is next to the boundary: full windows (nothing stable below the first; the second can
  // close the interval; confirmations always)
  assert.deepEqual(
    specs.slice(1).map((s) => s.durationSeconds),
    [4, 4, 4],
  );
  assert.match(h.lines[2]!, /\| 4 s window \(full: it can close the interval\) \|/);
  assert.equal(state.wallSeconds, 20);
});

test('search: the probe ceiling counts completions, even when no request sent in its window was answered in it', async () => {
  const fake = fakeStep(40);
  const h = harness((spec) => {
    const m = fake(spec);
    return {
      k6ExitCode: 0,
      measurement: 'concurrency' in spec.level ? { ...m, requests: 0, latency: {} } : m,
      stopped: null,
    };
  });
  const state = await searchCapacity({ ...OPTS, probe: PROBE }, h.deps);
  assert.equal(state.probe?.ceilingRps, 40);
  assert.equal(state.rows[1]!.purpose, 'ceiling');
});

test('search: a probe without a usable measurement falls back to bracketing from the start rate', async () => {
  const fake = fakeStep(40);
  const h = harness((spec) => {
    const m = fake(spec);
    // nothing completed inside the window
    return {
      k6ExitCode: 0,
      measurement: 'concurrency' in spec.level ? { ...m, requests: 0, achievedRps: 0 } : m,
      stopped: null,
    };
  });
  const state = await searchCapacity({ ...OPTS, probe: PROBE }, h.deps);
  assert.equal(state.probe?.ceilingRps, null);
  assert.match(h.lines[0]!, /no usable ceiling .*bracketing from the start rate/);
  assert.equal(state.rows[1]!.purpose, 'probe');
  assert.equal(state.rows[1]!.offeredRps, 5);
  assert.equal(state.status, 'found');
});

test('search: steps far from the boundary get windows sized from the latency variance', async () => {
  // throughput 40 rps, but the SLO holds only up to 20: the search descends from the ceiling
  const fake = fakeStep(40, 100, 1.01, 20);
  const specs: StepSpec[] = [];
  const h = harness((spec) => {
    specs.push(spec);
    return { k6ExitCode: 0, measurement: fake(spec), stopped: null };
  });
  const state = await searchCapacity({ ...OPTS, probe: PROBE }, h.deps);
  assert.equal(state.status, 'found', state.message);
  const levels = specs.slice(1).map((s) => `${'rateRps' in s.level ? s.level.rateRps : '-'}/${s.durationSeconds}`);
  // 39 fails (full: at the ceiling), 19.5 passes (full: nothing below), the bisection at 29.3 is far
  // above the pass and below the ceiling: the stable latency at 19.5 shortens it
  assert.deepEqual(levels.slice(0, 3), ['39/4', '19.5/4', '29.3/2']);
  assert.match(h.lines[3]!, /2 s window \(p95 ±[\d.]+ % over \d+ requests at the nearest level\)/);
  const r = resultLevels(state.result!);
  assert.ok(r.sustainable! <= 20 && r.high! > 20, state.message);
});
