import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunSummary } from '../../run-folder/run-record.ts';
import { answerOf } from './answer.ts';
import { sloRows, sloTable } from './slo.ts';
import { stepRows } from './steps.ts';
import { rampSummary, stats } from '../../../../test/fixtures/ramp-summary.ts';

test('ramp answer: highest passing rate, first failing step, the bound broken and by how much, the target as the limit', () => {
  const s = rampSummary();
  const a = answerOf(s, sloRows(s));
  assert.equal(a.kind, 'search');
  assert.equal(
    a.sentence,
    'The target sustains 5.75 requests/s inside the SLO interactive-chat (ITL p95 < 100 ms, e2e p95 < 8 s) and breaks at 10.5 requests/s (step-03: llm ITL p95 < 100 ms: 103.7 ms, broken by 3.7 %). The target, not the load generator, was the limit: every step up to the breach was delivered as planned.',
  );
  assert.deepEqual(a.highestPassing, { value: 5.75, unit: 'rps', stage: 'step-02' });
  assert.deepEqual(a.firstFailing, { value: 10.5, unit: 'rps', stage: 'step-03' });
  assert.equal(a.limit, 'target');
  assert.deepEqual(
    a.facts.map((f) => [f.label, f.value]),
    [
      ['highest passing rate', '5.75 requests/s'],
      ['first failing step', 'step-03 at 10.5 requests/s'],
      ['broken', 'llm ITL p95 +3.7 %'],
      ['limit', 'the target'],
    ],
  );
});

test('ramp answer: a generator that fell behind before any breach is the limit; one that fell behind at the breach is named beside the target', () => {
  const early = rampSummary({ generatorAt: 'step-02' });
  const a = answerOf(early, sloRows(early));
  assert.equal(a.limit, 'generator');
  assert.match(
    a.sentence,
    /The load generator was the limit: it fell behind at step-02 before any bound broke \(load generator saturated/,
  );
  const atBreach = rampSummary({ generatorAt: 'step-03' });
  const b = answerOf(atBreach, sloRows(atBreach));
  assert.equal(b.limit, 'target');
  assert.match(b.sentence, /The target was the limit; at step-03 the load generator also fell behind/);
});

test('concurrency steps: the answer is in concurrent requests when the summary carries highestPassingConcurrency', () => {
  const s = rampSummary();
  s.scenario = 'concurrency';
  delete (s.slo as { highestPassingRps?: number }).highestPassingRps;
  (s.slo as { highestPassingConcurrency?: number }).highestPassingConcurrency = 8;
  for (const [i, st] of (s.stages ?? []).entries()) {
    delete (st as { offeredRps?: number }).offeredRps;
    (st as { concurrency?: number }).concurrency = [1, 2, 8, 16][i];
  }
  const a = answerOf(s, sloRows(s));
  assert.match(
    a.sentence,
    /^The target sustains 8 concurrent requests inside the SLO interactive-chat \(ITL p95 < 100 ms, e2e p95 < 8 s\) and breaks at 16 concurrent requests \(step-03: /,
  );
  assert.equal(a.facts[0]?.label, 'highest passing concurrency');
});

test('SLO rows in words: one per bound per stage and class, guards only when they fail, stages not reached never "pass"', () => {
  const s = rampSummary();
  const rows = sloRows(s);
  assert.equal(rows.length, 20, 'junit keeps every threshold');
  const itl3 = rows.find((r) => r.stage === 'step-03' && r.metric.startsWith('genload_itl_ms'));
  assert.equal(itl3?.text, 'step-03 llm ITL p95 < 100 ms: 103.7 ms, broken by 3.7 %');
  assert.ok(Math.abs((itl3?.margin ?? 0) - 0.037) < 1e-9);
  assert.equal(
    rows.find((r) => r.stage === 'step-02' && r.metric.startsWith('genload_itl_ms'))?.text,
    'step-02 llm ITL p95 < 100 ms: 80.00 ms, held, 20.0 % inside',
  );
  // k6 said ok for bounds of steps never reached (no samples): the report says not reached
  const unreached = rows.filter((r) => r.stage === 'step-04');
  assert.ok(unreached.every((r) => r.status === 'not-reached' && !r.ok && r.notReached === true));
  const table = sloTable(rows);
  assert.deepEqual(
    table.map((r) => r.text),
    [
      'step-03 llm ITL p95 < 100 ms: 103.7 ms, broken by 3.7 %',
      'step-01 llm ITL p95 < 100 ms: 40.00 ms, held, 60.0 % inside',
      'step-01 llm e2e p95 < 8000 ms: 900.0 ms, held, 88.8 % inside',
      'step-02 llm ITL p95 < 100 ms: 80.00 ms, held, 20.0 % inside',
      'step-02 llm e2e p95 < 8000 ms: 900.0 ms, held, 88.8 % inside',
      'step-03 llm e2e p95 < 8000 ms: 900.0 ms, held, 88.8 % inside',
      'step-04 llm: not reached (the run stopped before this stage)',
      'step-05 llm: not reached (the run stopped before this stage)',
    ],
  );
  assert.ok(!table.some((r) => r.kind === 'guard' && r.status === 'pass'), 'guards that held are not shown');
});

test('a failing sample-count guard is shown, in words', () => {
  const s = rampSummary();
  const guard = s.slo!.verdicts!.find((v) => v.stage === 'step-03' && v.expression === 'count>=1')!;
  guard.ok = false;
  // k6 passes a bound whose metric got no samples
  s.slo!.verdicts!.find((v) => v.stage === 'step-03' && v.expression === 'p(95)<100')!.ok = true;
  s.stages!.find((st) => st.stage === 'step-03')!.classes.llm!.latency = {};
  const table = sloTable(sloRows(s));
  assert.ok(
    table.some((r) => r.text === 'step-03 llm ITL samples ≥ 1: 0, too few to judge'),
    table.map((r) => r.text).join('\n'),
  );
  assert.ok(table.some((r) => r.text === 'step-03 llm ITL p95 < 100 ms: no samples, not judged'));
});

test('per-step rows: offered, achieved, e2e percentiles, tokens/s and verdicts, not reached steps have no figures', () => {
  const rows = stepRows(rampSummary({ generatorAt: 'step-03' }));
  assert.deepEqual(
    rows.map((r) => [r.stage, r.verdict, r.load?.value ?? null]),
    [
      ['warmup', 'not judged', 1],
      ['step-01', 'pass', 1],
      ['step-02', 'pass', 5.75],
      ['step-03', 'fail', 10.5],
      ['step-04', 'not reached', null],
      ['step-05', 'not reached', null],
    ],
  );
  const s3 = rows.find((r) => r.stage === 'step-03')!;
  assert.equal(s3.e2eP99Ms, 1000);
  assert.equal(s3.tokensPerS, 10.5 * 64);
  assert.equal(s3.imagesPerS, null);
  assert.deepEqual(s3.generatorReasons, [
    'load generator saturated: p95 start lag 900.0 ms behind the arrival plan (limit 50 ms)',
  ]);
});

test('steady answer: pass or fail per class with the worst margin; an invalid run says it is not evidence', () => {
  const verdicts = [
    {
      stage: 'measure',
      class: 'llm' as const,
      meaning: '',
      metric: 'genload_ttft_ms{class:llm,stage:measure}',
      expression: 'p(95)<500',
      ok: true,
    },
    {
      stage: 'measure',
      class: 'llm' as const,
      meaning: '',
      metric: 'genload_e2e_ms{class:llm,stage:measure}',
      expression: 'p(95)<800',
      ok: true,
    },
    {
      stage: 'measure',
      class: 'image' as const,
      meaning: '',
      metric: 'genload_e2e_ms{class:image,stage:measure}',
      expression: 'p(95)<2000',
      ok: false,
    },
  ];
  const cls = (lat: Record<string, ReturnType<typeof stats>>) => ({
    requests: 50,
    errorRate: 0,
    errors: {},
    goodputRatio: 1,
    requestsPerS: 1,
    goodputPerS: 1,
    outputTokens: 0,
    promptTokens: 0,
    outputTokensPerS: 0,
    images: 0,
    imagesPerS: 0,
    latency: lat,
  });
  const s = {
    scenario: 'mixed',
    validity: { valid: true, reasons: [] },
    slo: { name: 'x', passed: false, aborted: false, verdicts },
    stages: [
      {
        stage: 'measure',
        judged: true,
        durationS: 50,
        offeredRps: 2,
        achievedRps: 2,
        requests: 100,
        completed: true,
        classes: {
          llm: cls({ genload_ttft_ms: stats(100, 410, 450), genload_e2e_ms: stats(300, 400, 500) }),
          image: cls({ genload_e2e_ms: stats(1500, 2300, 2500) }),
        },
      },
    ],
  } as RunSummary;
  const a = answerOf(s, sloRows(s));
  assert.equal(a.kind, 'steady');
  assert.equal(
    a.sentence,
    'Failed the SLO x: llm held every bound, closest TTFT p95 < 500 ms: 410.0 ms, 18.0 % inside; image e2e p95 < 2000 ms: 2300 ms, broken by 15.0 % (1 bound broken).',
  );
  assert.deepEqual(
    a.facts.slice(0, 4).map((f) => [f.label, f.value]),
    [
      ['llm SLO', 'pass'],
      ['llm closest to a limit', 'TTFT p95 < 500 ms: 410.0 ms, 18.0 % inside'],
      ['image SLO', 'fail (1 broken)'],
      ['image worst breach', 'e2e p95 < 2000 ms: 2300 ms, broken by 15.0 %'],
    ],
  );
  s.validity = { valid: false, reasons: ['k6 dropped 3 iterations'] };
  assert.match(
    answerOf(s, sloRows(s)).sentence,
    /The run is invalid, the load generator was the limit \(k6 dropped 3 iterations\): not evidence either way\.$/,
  );
});

test('a target that needed more than MAX_VUS concurrent requests: the row and the answer say so in words', () => {
  const verdicts = [
    {
      stage: 'measure',
      class: 'llm' as const,
      meaning: '',
      metric: 'genload_e2e_ms{class:llm,stage:measure}',
      expression: 'p(95)<5000',
      ok: true,
    },
    {
      stage: 'measure',
      class: 'llm' as const,
      meaning: 'offered load taken within MAX_VUS=10 concurrent requests (needed about 300)',
      metric: 'dropped_iterations{scenario:measure}',
      expression: 'count==0',
      ok: false,
      delivery: true as const,
    },
  ];
  const cls = {
    requests: 50,
    errorRate: 0,
    errors: {},
    goodputRatio: 1,
    requestsPerS: 10,
    goodputPerS: 10,
    outputTokens: 0,
    promptTokens: 0,
    outputTokensPerS: 0,
    images: 0,
    imagesPerS: 0,
    latency: { genload_e2e_ms: stats(1000, 1000, 1000) },
  };
  const s = {
    scenario: 'llm-stream',
    validity: { valid: true, reasons: [] },
    slo: { name: 'x', passed: false, aborted: false, verdicts },
    stages: [
      {
        stage: 'measure',
        judged: true,
        durationS: 5,
        offeredRps: 300,
        achievedRps: 10,
        requests: 50,
        completed: true,
        classes: { llm: cls },
      },
    ],
  } as RunSummary;
  const rows = sloRows(s);
  assert.equal(rows[1]?.kind, 'delivery');
  assert.equal(
    rows[1]?.text,
    'measure llm offered load taken within MAX_VUS=10 concurrent requests (needed about 300): broken, k6 dropped arrivals with every allowed VU busy',
  );
  assert.match(answerOf(s, rows).sentence, /MAX_VUS=10 concurrent requests \(needed about 300\)/);
});

/** A search where every step ran and held: the steps never reached dropped, every verdict ok. */
function allPassed(s: RunSummary): RunSummary {
  const ran = new Set((s.stages ?? []).map((st) => st.stage));
  for (const st of s.stages ?? []) st.completed = true;
  if (s.slo?.verdicts !== undefined)
    s.slo.verdicts = s.slo.verdicts.filter((v) => ran.has(v.stage)).map((v) => ({ ...v, ok: true }));
  return s;
}

test('advice of a rate ramp that never broke: raise MAX_RATE', () => {
  const s = allPassed(rampSummary());
  const a = answerOf(s, sloRows(s));
  assert.match(
    a.sentence,
    /^Every step passed the SLO interactive-chat \(ITL p95 < 100 ms, e2e p95 < 8 s\): the target sustains at least .* requests\/s; the ramp did not reach its limit \(raise MAX_RATE\)\.$/,
  );
});

test('advice of concurrency steps that never broke: MAX_VUS or CONCURRENCY, not MAX_RATE', () => {
  const s = allPassed(rampSummary());
  s.scenario = 'concurrency';
  delete (s.slo as { highestPassingRps?: number }).highestPassingRps;
  (s.slo as { highestPassingConcurrency?: number }).highestPassingConcurrency = 16;
  for (const [i, st] of (s.stages ?? []).entries()) {
    delete (st as { offeredRps?: number }).offeredRps;
    (st as { concurrency?: number }).concurrency = [1, 2, 8, 16][i];
  }
  const a = answerOf(s, sloRows(s));
  assert.match(
    a.sentence,
    /the concurrency did not reach its limit \(raise MAX_VUS, or list higher CONCURRENCY levels\)\.$/,
  );
  assert.doesNotMatch(a.sentence, /MAX_RATE/);
});

test('a steady answer names the SLO profile and its p95 bounds', () => {
  const s = allPassed(rampSummary());
  s.scenario = 'llm-stream';
  delete (s.slo as { highestPassingRps?: number }).highestPassingRps;
  const a = answerOf(s, sloRows(s));
  assert.equal(a.kind, 'steady');
  assert.match(
    a.sentence,
    /^Passed the SLO interactive-chat \(ITL p95 < 100 ms, e2e p95 < 8 s\): llm held every bound/,
  );
});
