import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../cli/paths.ts';
import { TARGET_APIS } from '../run-config.ts';
import { classesSent, imageStepsTimed, SCENARIOS, scenarioDef, streamsLlm } from '../scenarios.ts';
import { DEFAULT_WORKLOAD } from '../workload/defaults.ts';
import { combineProfiles, defaultProfileNames, ERRORS_ONLY_PROFILE, measurableProfile } from './defaults.ts';
import { parseSlo } from './parse.ts';
import { BOUNDED_METRICS } from './bounds.ts';
import type { Slo } from './schema.ts';

const profile = (name: string): Slo =>
  parseSlo(JSON.parse(readFileSync(join(repoRoot, 'thresholds', `${name}.json`), 'utf8')), name);

test('every scenario, against every API it can drive, judges a P95 latency bound for each class it sends by default', () => {
  let checked = 0;
  for (const name of Object.keys(SCENARIOS)) {
    for (const api of TARGET_APIS) {
      for (const [trafficClass, stream] of [
        ['auto', true],
        ['auto', false],
        ['llm', true],
        ['image', true],
      ] as const) {
        const workload = { ...DEFAULT_WORKLOAD, trafficClass, stream };
        const classes = classesSent(name, api, workload);
        if (classes.length === 0) continue; // this API cannot carry the scenario's traffic: refused elsewhere
        const combined = combineProfiles(defaultProfileNames(scenarioDef(name).defaultSlo, classes).map(profile));
        const streamed = streamsLlm(name, api, workload);
        const stepTimed = imageStepsTimed(api);
        const slo = measurableProfile(combined, { streamed, stepTimed });
        const what = `${name} on ${api} (${trafficClass}, stream ${stream}): default ${slo.name}`;
        for (const cls of classes) {
          const rules = slo.classes[cls];
          const p95 = BOUNDED_METRICS.filter((m) => rules?.[m]?.p95 !== undefined);
          assert.ok(p95.length > 0, `${what} has no p95 bound for ${cls}`);
          // a bound on a latency the run cannot measure would fail for want of samples
          if (cls === 'llm' && !streamed)
            assert.deepEqual(p95, ['e2eMs'], `${what} bounds a streamed latency of answers not streamed`);
          if (cls === 'image' && !stepTimed)
            assert.deepEqual(p95, ['e2eMs'], `${what} bounds the step time of an API that gives none`);
          checked++;
        }
      }
    }
  }
  assert.ok(checked > 50, `checked ${checked}`);
});

test('class defaults: llm interactive-chat, image batch-image, both combined; smoke ci-smoke', () => {
  assert.deepEqual(defaultProfileNames(undefined, ['llm']), ['interactive-chat']);
  assert.deepEqual(defaultProfileNames(undefined, ['image']), ['batch-image']);
  assert.deepEqual(defaultProfileNames(undefined, ['llm', 'image']), ['interactive-chat', 'batch-image']);
  assert.deepEqual(defaultProfileNames(scenarioDef('smoke').defaultSlo, ['llm', 'image']), ['ci-smoke']);
  const both = combineProfiles([profile('interactive-chat'), profile('batch-image')]);
  assert.equal(both.name, 'interactive-chat + batch-image');
  assert.equal(both.classes.llm?.ttftMs?.p95, 500);
  assert.equal(both.classes.image?.e2eMs?.p95, 30000);
  assert.deepEqual(both.abort, { onFail: true, delaySeconds: 20 });
  assert.equal(combineProfiles([profile('batch-image')]).name, 'batch-image');
  assert.throws(() => combineProfiles([]), /at least one/);
});

test('classesSent follows the scenario and the API', () => {
  assert.deepEqual(classesSent('llm-stream', 'reference', DEFAULT_WORKLOAD), ['llm']);
  assert.deepEqual(classesSent('diffusion', 'reference', DEFAULT_WORKLOAD), ['image']);
  assert.deepEqual(classesSent('mixed', 'reference', DEFAULT_WORKLOAD), ['llm', 'image']);
  assert.deepEqual(classesSent('capacity', 'reference', DEFAULT_WORKLOAD), ['llm', 'image']);
  assert.deepEqual(classesSent('ramp', 'openai-images', DEFAULT_WORKLOAD), ['image']);
  assert.deepEqual(classesSent('diffusion', 'openai-chat', DEFAULT_WORKLOAD), []);
});

test('the error-rate-only profile is shipped, bounds no latency, and is never a default', () => {
  const slo = profile(ERRORS_ONLY_PROFILE);
  for (const cls of ['llm', 'image'] as const) {
    assert.equal(slo.classes[cls]?.errorRate, 0.05);
    assert.ok(BOUNDED_METRICS.every((m) => slo.classes[cls]?.[m] === undefined));
  }
  for (const name of Object.keys(SCENARIOS))
    assert.ok(!defaultProfileNames(scenarioDef(name).defaultSlo, ['llm', 'image']).includes(ERRORS_ONLY_PROFILE));
});

test('the default cut to what a run measures: e2e, error rate and goodput stay; the name says what was dropped', () => {
  const chat = profile('interactive-chat');
  const slo = measurableProfile(chat, { streamed: false, stepTimed: true });
  assert.equal(slo.name, 'interactive-chat, not streamed');
  assert.deepEqual(slo.classes.llm?.e2eMs, chat.classes.llm?.e2eMs);
  assert.equal(slo.classes.llm?.errorRate, chat.classes.llm?.errorRate);
  assert.equal(slo.classes.llm?.minGoodput, chat.classes.llm?.minGoodput);
  for (const m of ['ttftMs', 'itlMs', 'tpotMs'] as const) assert.equal(slo.classes.llm?.[m], undefined);
  assert.equal(slo.classes.llm?.perRequest, undefined, 'interactive-chat limits only TTFT and TPOT per request');
  assert.equal(chat.classes.llm?.ttftMs?.p95, 500, 'the profile itself is not changed');
  const image = profile('batch-image');
  assert.equal(measurableProfile(image, { streamed: false, stepTimed: true }), image, 'nothing to drop');
  const noSteps = measurableProfile(image, { streamed: true, stepTimed: false });
  assert.equal(noSteps.name, 'batch-image, no step time');
  assert.equal(noSteps.classes.image?.stepMs, undefined);
  assert.deepEqual(noSteps.classes.image?.perRequest, { e2eMs: 60000 });
  const both = measurableProfile(combineProfiles([chat, image]), { streamed: false, stepTimed: false });
  assert.equal(both.name, 'interactive-chat + batch-image, not streamed, no step time');
});

test("the README's scenario table names each scenario's default SLO", () => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const header = '| scenario | load shape | judged stages | default SLO (no `SLO=`) |';
  assert.ok(readme.includes(header), 'the scenario table has a default-SLO column');
  for (const name of Object.keys(SCENARIOS)) {
    const row = readme.split('\n').find((l) => l.startsWith(`| ${name} |`));
    assert.ok(row !== undefined, `README row for ${name}`);
    const cell = row.split(' | ').at(-1) ?? '';
    // what the scenario defaults to against an API carrying both classes and against an image-only one
    for (const api of ['reference', 'openai-images'] as const) {
      const classes = classesSent(name, api, DEFAULT_WORKLOAD);
      if (classes.length === 0) continue;
      const names = defaultProfileNames(scenarioDef(name).defaultSlo, classes).join(' + ');
      assert.ok(cell.includes(`\`${names}\``), `${name} on ${api}: README says ${cell}, the default is ${names}`);
    }
  }
});
