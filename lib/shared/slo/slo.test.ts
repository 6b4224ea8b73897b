import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileSlo, parseSlo, reportThresholds, mergeThresholds, SloError } from './index.ts';

const chat = {
  schemaVersion: 1,
  name: 'chat',
  classes: {
    llm: {
      ttftMs: { p95: 500, p99: 1000 },
      e2eMs: { p95: 4000 },
      errorRate: 0.01,
      minRequests: 5,
      perRequest: { ttftMs: 800 },
    },
  },
  abort: { onFail: true, delaySeconds: 7 },
};

test('parseSlo accepts a valid profile and fills defaults', () => {
  const slo = parseSlo(chat, 'chat.json');
  assert.equal(slo.classes.llm?.ttftMs?.p95, 500);
  assert.equal(slo.abort?.delaySeconds, 7);
  const noDelay = parseSlo({ ...chat, abort: { onFail: false } }, 'x');
  assert.equal(noDelay.abort?.delaySeconds, 10);
});

test('parseSlo reports every problem at once, naming field, rule and value', () => {
  const bad = {
    schemaVersion: 2,
    name: '',
    classes: { llm: { ttftMs: { p95: -1 }, errorRate: 2, colour: 'red' }, video: {} },
  };
  try {
    parseSlo(bad, 'bad.json');
    assert.fail('expected SloError');
  } catch (err) {
    assert.ok(err instanceof SloError);
    const text = err.problems.join('\n');
    assert.match(text, /^schemaVersion: .*but is 2$/m);
    assert.match(text, /^name: .*but is ""$/m);
    assert.match(text, /^classes\.llm\.ttftMs\.p95: .*but is -1$/m);
    assert.match(text, /^classes\.llm\.errorRate: .*but is 2$/m);
    assert.match(text, /^classes\.llm: unknown key 'colour'/m);
    assert.match(text, /^classes: unknown key 'video'/m);
    assert.ok(err.problems.length >= 6, text);
    assert.match(err.message, /bad\.json/);
  }
});

test('parseSlo rejects a profile that judges no class and an empty bound', () => {
  assert.throws(
    () => parseSlo({ schemaVersion: 1, name: 'x', classes: {} }, 'x'),
    (e: SloError) => /must define llm, image or both/.test(e.problems.join()),
  );
  assert.throws(
    () => parseSlo({ schemaVersion: 1, name: 'x', classes: { image: { e2eMs: {} } } }, 'x'),
    (e: SloError) => /classes\.image\.e2eMs: must set at least one/.test(e.problems.join()),
  );
});

test('compileSlo pairs each latency bound with a sample count and a request count', () => {
  const slo = parseSlo(chat, 'chat.json');
  const { thresholds, conditions } = compileSlo({
    slo,
    judgedStages: ['measure'],
    classes: ['llm', 'image'],
    abortable: false,
  });
  assert.deepEqual(thresholds['genload_ttft_ms{class:llm,stage:measure}'], [
    { threshold: 'p(95)<500' },
    { threshold: 'p(99)<1000' },
  ]);
  assert.deepEqual(thresholds['genload_samples{class:llm,metric_name:genload_ttft_ms,stage:measure}'], [
    { threshold: 'count>=1' },
  ]);
  assert.deepEqual(thresholds['genload_requests{class:llm,stage:measure}'], [{ threshold: 'count>=5' }]);
  assert.deepEqual(thresholds['genload_error_rate{class:llm,stage:measure}'], [{ threshold: 'rate<=0.01' }]);
  assert.ok(!Object.keys(thresholds).some((k) => k.includes('class:image')), 'image has no SLO here');
  assert.equal(conditions.length, 7);
});

test('compileSlo adds abortOnFail only to bounds of abortable runs whose SLO allows it', () => {
  const slo = parseSlo(chat, 'chat.json');
  const { thresholds } = compileSlo({ slo, judgedStages: ['step-01', 'step-02'], classes: ['llm'], abortable: true });
  assert.deepEqual(thresholds['genload_e2e_ms{class:llm,stage:step-02}'], [
    { threshold: 'p(95)<4000', abortOnFail: true, delayAbortEval: '7s' },
  ]);
  assert.deepEqual(thresholds['genload_requests{class:llm,stage:step-01}'], [{ threshold: 'count>=5' }]);
  const noAbort = compileSlo({
    slo: parseSlo({ ...chat, abort: { onFail: false } }, 'x'),
    judgedStages: ['s'],
    classes: ['llm'],
    abortable: true,
  });
  assert.equal(noAbort.thresholds['genload_e2e_ms{class:llm,stage:s}']?.[0]?.abortOnFail, undefined);
});

test('compileSlo lets a stage abort only once it has ended (k6 counts delayAbortEval from the test start)', () => {
  const slo = parseSlo(chat, 'chat.json');
  const { thresholds } = compileSlo({
    slo,
    judgedStages: ['step-01', 'step-02'],
    classes: ['llm'],
    abortable: true,
    stageEndsS: { 'step-01': 3, 'step-02': 20.4 },
  });
  // step-01 ends before the SLO's 7 s floor: the floor holds; step-02 ends at 20.4 s: 20.4 + 1 s settle, rounded up
  assert.equal(thresholds['genload_e2e_ms{class:llm,stage:step-01}']?.[0]?.delayAbortEval, '7s');
  assert.equal(thresholds['genload_e2e_ms{class:llm,stage:step-02}']?.[0]?.delayAbortEval, '22s');
  assert.equal(thresholds['genload_error_rate{class:llm,stage:step-02}']?.[0]?.delayAbortEval, '22s');
});

test('reportThresholds declares never-failing sub-metrics and merge keeps SLO expressions', () => {
  const report = reportThresholds(['warmup', 'measure'], ['llm']);
  assert.deepEqual(report['genload_ttft_ms{class:llm,stage:warmup}'], ['max>=0']);
  assert.equal(report['genload_step_ms{class:llm,stage:measure}'], undefined);
  const merged = mergeThresholds(
    compileSlo({ slo: parseSlo(chat, 'c'), judgedStages: ['measure'], classes: ['llm'], abortable: false }),
    report,
  );
  assert.deepEqual(merged['genload_ttft_ms{class:llm,stage:measure}'], [
    'max>=0',
    { threshold: 'p(95)<500' },
    { threshold: 'p(99)<1000' },
  ]);
});
