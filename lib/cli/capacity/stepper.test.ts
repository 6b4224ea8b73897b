import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  next,
  roundRate,
  type RateLevels,
  type RateResult,
  type SearchPrior,
  type StepOutcome,
  type StepperConfig,
  type SearchResult,
  type Verdict,
} from './stepper.ts';

/** An open-model search's result: a rate */
function asRate(r: SearchResult): RateResult {
  assert.ok('sustainableRps' in r, JSON.stringify(r));
  return r;
}

/** CFG with other rate bounds */
const withRates = (r: Partial<Omit<RateLevels, 'kind'>>, cfg: StepperConfig = CFG): StepperConfig => ({
  ...cfg,
  levels: { ...(cfg.levels as RateLevels), ...r },
});

const CFG: StepperConfig = {
  levels: { kind: 'rate', startRps: 5, minRps: 1, maxRps: 1000 },
  toleranceRatio: 0.03,
  maxSteps: 30,
  confirmRepeats: 1,
};

/** A synthetic target: passes below sloRps, throughput capped at ceilingRps; `override` injects noise per run. */
interface Target {
  sloRps: number;
  ceilingRps: number;
  override?: (rateRps: number, run: number) => Verdict | undefined;
}

function judge(t: Target, rateRps: number, run: number): StepOutcome {
  const saturated = rateRps > t.ceilingRps * 1.02;
  const achievedRps = Math.min(rateRps, t.ceilingRps * 0.99);
  const verdict = t.override?.(rateRps, run) ?? (rateRps <= t.sloRps && !saturated ? 'pass' : 'fail');
  return { level: rateRps, verdict, achievedRps, saturated, decisive: saturated && achievedRps < rateRps * 0.9 };
}

function search(
  t: Target,
  cfg: StepperConfig = CFG,
  prior?: SearchPrior,
): { result: RateResult; history: StepOutcome[] } {
  const history: StepOutcome[] = [];
  for (let i = 0; i < 100; i++) {
    const n = next(history, cfg, prior);
    if (n.done) return { result: asRate(n.result), history };
    history.push(judge(t, n.level, history.filter((h) => h.level === n.level).length));
  }
  throw new Error('stepper did not finish in 100 steps');
}

const cases: Array<{ name: string; target: Target; rates?: Partial<Omit<RateLevels, 'kind'>>; maxSteps: number }> = [
  { name: 'throughput-bound target (slo at the ceiling)', target: { sloRps: 40, ceilingRps: 40 }, maxSteps: 12 },
  {
    name: 'latency-bound target (slo breaks before the ceiling)',
    target: { sloRps: 25, ceilingRps: 40 },
    maxSteps: 14,
  },
  { name: 'ceiling between bracket steps', target: { sloRps: 33, ceilingRps: 33 }, maxSteps: 12 },
  { name: 'first probe fails: descends', target: { sloRps: 1.7, ceilingRps: 2 }, maxSteps: 12 },
  { name: 'slow target below 1 rps', target: { sloRps: 0.3, ceilingRps: 0.3 }, rates: { minRps: 0.05 }, maxSteps: 14 },
  { name: 'fast target', target: { sloRps: 700, ceilingRps: 720 }, maxSteps: 14 },
];

for (const c of cases) {
  test(`stepper finds the boundary: ${c.name}`, () => {
    const cfg = withRates(c.rates ?? {});
    const { result, history } = search(c.target, cfg);
    assert.equal(result.status, 'found', result.message);
    const low = result.interval.lowRps!;
    const high = result.interval.highRps!;
    assert.ok(
      low <= c.target.sloRps && high > c.target.sloRps * 0.999,
      `interval [${low}, ${high}] must contain ${c.target.sloRps}`,
    );
    assert.ok((high - low) / low <= cfg.toleranceRatio + 1e-9, `interval [${low}, ${high}] wider than tolerance`);
    assert.ok(
      history.length <= c.maxSteps,
      `took ${history.length} steps: ${history.map((h) => `${h.level}:${h.verdict}`).join(' ')}`,
    );
    // the reported rate passed on every run, at least twice
    const runs = history.filter((h) => h.level === result.sustainableRps);
    assert.ok(runs.length >= 2 && runs.every((r) => r.verdict === 'pass'));
  });
}

test('no rate passes: none, naming the lowest rate probed', () => {
  const { result, history } = search({ sloRps: 0, ceilingRps: 1000 }, withRates({ startRps: 4, minRps: 1 }));
  assert.equal(result.status, 'none');
  assert.equal(result.sustainableRps, null);
  assert.equal(result.message, 'no sustainable rate at or above 1 rps');
  assert.deepEqual(
    history.map((h) => h.level),
    [4, 2, 1],
  );
});

test('min rate equal to start rate: one failing step is enough', () => {
  const { result, history } = search({ sloRps: 0, ceilingRps: 1000 }, withRates({ startRps: 2, minRps: 2 }));
  assert.equal(result.status, 'none');
  assert.equal(history.length, 1);
});

test('everything passes up to the maximum: above-max after confirming it', () => {
  const { result, history } = search({ sloRps: 1e9, ceilingRps: 1e9 }, withRates({ maxRps: 30 }));
  assert.equal(result.status, 'above-max');
  assert.equal(result.sustainableRps, 30);
  assert.deepEqual(
    history.map((h) => h.level),
    [5, 10, 20, 30, 30],
  );
});

test('a pass that does not repeat is not a pass', () => {
  // 40 passes once by luck (true boundary 36): its repeat fails, so the search goes below it
  const target: Target = {
    sloRps: 36,
    ceilingRps: 100,
    override: (r, run) => (r === 40 && run === 0 ? 'pass' : undefined),
  };
  const { result, history } = search(target);
  assert.equal(result.status, 'found');
  assert.ok(result.sustainableRps! <= 36 && result.sustainableRps! >= 36 * 0.97, result.message);
  assert.ok(result.noisy);
  assert.deepEqual(
    history.filter((h) => h.level === 40).map((h) => h.verdict),
    ['pass', 'fail'],
  );
});

test('invalid steps never count as passes', () => {
  const target: Target = { sloRps: 50, ceilingRps: 100, override: (r) => (r >= 20 ? 'invalid' : undefined) };
  const { result, history } = search(target);
  assert.ok(result.sustainableRps! < 20, result.message);
  assert.ok(history.every((h) => h.verdict !== 'pass' || h.level < 20));
  assert.equal(result.interval.highRps, 20);
});

test('a narrow failure is repeated once; a decisive one is not', () => {
  const narrow = search({ sloRps: 40, ceilingRps: 1000 }).history;
  const last = narrow[narrow.length - 1]!;
  assert.equal(last.verdict, 'fail');
  assert.equal(narrow.filter((h) => h.level === last.level).length, 2);
  const decisive = search({ sloRps: 40, ceilingRps: 40 }).history;
  const fails = decisive.filter((h) => h.verdict === 'fail');
  assert.ok(fails.every((f) => !f.decisive || decisive.filter((h) => h.level === f.level).length === 1));
});

test('saturation shortcuts the bisection (plateau at the ceiling)', () => {
  const { history } = search({ sloRps: 40, ceilingRps: 40 });
  // after 80 saturates at ~40 achieved, the next probe goes next to 40, not to the midpoint 60
  const i = history.findIndex((h) => h.level === 80);
  assert.ok(i >= 0);
  assert.ok(Math.abs(history[i + 1]!.level - 40) / 40 < 0.05, `after 80 came ${history[i + 1]!.level}`);
});

test('max steps stops with what was found', () => {
  const { result, history } = search({ sloRps: 40, ceilingRps: 1000 }, { ...CFG, maxSteps: 6 });
  assert.equal(history.length, 6);
  assert.equal(result.status, 'incomplete');
  assert.equal(result.steps, 6);
});

test('recorded history: next step after a bracket', () => {
  const h = (level: number, verdict: Verdict, achievedRps = level, saturated = false): StepOutcome => ({
    level,
    verdict,
    achievedRps,
    saturated,
    decisive: false,
  });
  const table: Array<{ history: StepOutcome[]; want: { level: number; purpose: string } | 'done' }> = [
    { history: [], want: { level: 5, purpose: 'probe' } },
    { history: [h(5, 'pass')], want: { level: 10, purpose: 'bracket' } },
    { history: [h(5, 'pass'), h(10, 'fail')], want: { level: 7.5, purpose: 'bisect' } },
    { history: [h(5, 'pass'), h(10, 'fail', 8, true)], want: { level: 7.88, purpose: 'saturation' } },
    { history: [h(5, 'fail')], want: { level: 2.5, purpose: 'descend' } },
    {
      history: [
        h(5, 'pass'),
        h(10, 'fail'),
        h(7.5, 'pass'),
        h(8.75, 'fail'),
        h(8.13, 'pass'),
        h(8.44, 'pass'),
        h(8.59, 'fail'),
      ],
      want: { level: 8.44, purpose: 'confirm-pass' },
    },
    { history: [h(5, 'pass'), h(5.1, 'fail'), h(5, 'pass'), h(5.1, 'fail')], want: 'done' },
  ];
  for (const row of table) {
    const n = next(row.history, CFG);
    if (row.want === 'done') assert.ok(n.done);
    else assert.deepEqual(n.done ? n : { level: n.level, purpose: n.purpose }, row.want, JSON.stringify(row.history));
  }
});

test('roundRate keeps three significant digits', () => {
  for (const [input, want] of [
    [41.234, 41.2],
    [0.6251, 0.625],
    [1234.5, 1235],
    [7.875, 7.88],
    [0.0001, 0.001],
  ] as const)
    assert.equal(roundRate(input), want);
});

test('closed model (wholeNumbers): the search runs whole concurrencies and ends between adjacent ones', () => {
  // passes up to 12 concurrent requests; closed-model steps are never "saturated" by rate
  const closed: StepperConfig = {
    levels: { kind: 'concurrency', startConcurrency: 1, minConcurrency: 1, maxConcurrency: 64 },
    toleranceRatio: 0.05,
    maxSteps: 30,
    confirmRepeats: 1,
  };
  const history: StepOutcome[] = [];
  let result: SearchResult | undefined;
  for (let i = 0; i < 60 && result === undefined; i++) {
    const n = next(history, closed);
    if (n.done) result = n.result;
    else
      history.push({
        level: n.level,
        verdict: n.level <= 12 ? 'pass' : 'fail',
        achievedRps: n.level * 2,
        saturated: false,
        decisive: false,
      });
  }
  assert.ok(
    history.every((h) => Number.isInteger(h.level) && h.level >= 1),
    history.map((h) => h.level).join(','),
  );
  assert.equal(result?.status, 'found');
  // a concurrency under names that say so
  assert.deepEqual(result?.interval, { lowConcurrency: 12, highConcurrency: 13 });
  assert.ok(result !== undefined && 'sustainableConcurrency' in result && result.sustainableConcurrency === 12);
  assert.ok(!('sustainableRps' in result));
  assert.match(
    result?.message ?? '',
    /^sustainable concurrency 12 concurrent requests \(interval \[12, 13\] concurrent requests\)$/,
  );
});

test('with a measured ceiling: just under it, just above it, two confirmations (4 level steps for a throughput-bound target)', () => {
  // known capacity 40 rps, the probe measured 40.2
  const { result, history } = search({ sloRps: 40, ceilingRps: 40 }, CFG, { ceilingRps: 40.2 });
  assert.equal(result.status, 'found', result.message);
  assert.deepEqual(
    history.map((h) => `${h.level}:${h.verdict}`),
    ['39.6:pass', '40.7:fail', '39.6:pass', '40.7:fail'],
  );
  assert.deepEqual(result.interval, { lowRps: 39.6, highRps: 40.7 });
});

test('with a measured ceiling, a narrow failure just under it: one tolerance down', () => {
  // the probe overestimated (42 measured, SLO holds to 40): the first step fails narrowly
  const narrow = (r: number, run: number): Verdict | undefined => (r > 40 && r < 42 && run === 0 ? 'fail' : undefined);
  const { result, history } = search({ sloRps: 40, ceilingRps: 1000, override: narrow }, CFG, { ceilingRps: 42 });
  assert.equal(result.status, 'found', result.message);
  assert.equal(history[0]!.level, 41.4);
  assert.equal(history[1]!.level, 40.2);
  assert.equal(history[1]!.verdict, 'fail');
  assert.ok(result.sustainableRps! <= 40 && result.sustainableRps! >= 40 * 0.97, result.message);
  assert.ok(history.length <= 8, history.map((h) => `${h.level}:${h.verdict}`).join(' '));
});

test('with a ceiling far above the SLO-bound rate: descends and bisects to the tolerance', () => {
  const { result, history } = search({ sloRps: 25, ceilingRps: 40 }, CFG, { ceilingRps: 40 });
  assert.equal(result.status, 'found', result.message);
  assert.ok(result.interval.lowRps! <= 25 && result.interval.highRps! > 25, result.message);
  assert.ok(history.length <= 12, history.map((h) => `${h.level}:${h.verdict}`).join(' '));
});

test('with a ceiling the probe measured too low: passes above it gallop upwards (tolerance × 1, 2, 4, ...)', () => {
  const { result, history } = search({ sloRps: 160, ceilingRps: 160 }, CFG, { ceilingRps: 128 });
  assert.equal(result.status, 'found', result.message);
  assert.ok(result.interval.lowRps! <= 160 && result.interval.highRps! > 160, result.message);
  const ups = history.slice(0, 4).map((h) => h.level);
  assert.deepEqual(ups, [126, 129, 136, 152]);
  assert.ok(history.length <= 10, history.map((h) => `${h.level}:${h.verdict}`).join(' '));
});

test('a ceiling prior is ignored by the closed-model search (its level is not a rate)', () => {
  const closed: StepperConfig = {
    levels: { kind: 'concurrency', startConcurrency: 4, minConcurrency: 1, maxConcurrency: 64 },
    toleranceRatio: 0.05,
    maxSteps: 30,
    confirmRepeats: 1,
  };
  const n = next([], closed, { ceilingRps: 40 });
  assert.deepEqual(n, { done: false, level: 4, purpose: 'probe' });
});
