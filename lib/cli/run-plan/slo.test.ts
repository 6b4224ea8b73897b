import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_WORKLOAD } from '../../shared/workload/defaults.ts';
import { resolveSlo } from './slo.ts';
import { resolveRun } from './resolve.ts';

test('no SLO given: each scenario is judged by its classes default profiles, resolved to a parsed SLO', () => {
  const problems: string[] = [];
  const of = (scenario: string, api: Parameters<typeof resolveSlo>[2] = 'reference') =>
    resolveSlo(null, scenario, api, DEFAULT_WORKLOAD, problems);
  assert.deepEqual(
    [of('llm-stream'), of('diffusion'), of('ramp'), of('smoke')].map((s) => [s?.profile.name, s?.path, s?.origin]),
    [
      ['interactive-chat', 'thresholds/interactive-chat.json', 'default'],
      ['batch-image', 'thresholds/batch-image.json', 'default'],
      ['interactive-chat', 'thresholds/interactive-chat.json', 'default'],
      ['ci-smoke', 'thresholds/ci-smoke.json', 'default'],
    ],
  );
  // a ramp against an image-only API is judged by the image default, not by a chat profile that judges no image
  assert.equal(of('ramp', 'openai-images')?.profile.name, 'batch-image, no step time');
  const mixed = of('mixed');
  assert.equal(mixed?.profile.name, 'interactive-chat + batch-image');
  assert.equal(mixed?.path, null);
  assert.equal(mixed?.profile.classes.llm?.ttftMs?.p95, 500);
  assert.equal(mixed?.profile.classes.image?.e2eMs?.p95, 30000);
  assert.equal(
    resolveSlo(null, 'diffusion', 'openai-images', DEFAULT_WORKLOAD, problems)?.profile.name,
    'batch-image, no step time',
  );
  assert.deepEqual(problems, []);
});

test('an SLO given by name wins, errors-only included; a broken file is a problem, not a default', () => {
  const problems: string[] = [];
  const given = resolveSlo('thresholds/errors-only.json', 'diffusion', 'reference', DEFAULT_WORKLOAD, problems);
  assert.deepEqual([given?.profile.name, given?.origin], ['errors-only', 'given']);
  assert.equal(resolveSlo('/no/such/slo.json', 'diffusion', 'reference', DEFAULT_WORKLOAD, problems), undefined);
  assert.match(problems.join('\n'), /^SLO: cannot read '\/no\/such\/slo\.json'/);
});

test('resolveRun: the plan always carries a parsed SLO', () => {
  assert.equal(resolveRun({ scenario: 'diffusion' }, {}).slo.profile.name, 'batch-image');
  assert.equal(resolveRun({ scenario: 'diffusion', slo: 'errors-only' }, {}).slo.profile.name, 'errors-only');
});

test('LLM answers not streamed are judged by e2e under the default, not by TTFT they cannot have', () => {
  const problems: string[] = [];
  const unstreamed = { ...DEFAULT_WORKLOAD, stream: false };
  const plain = resolveSlo(null, 'ramp', 'reference', unstreamed, problems);
  assert.equal(plain?.profile.name, 'interactive-chat, not streamed');
  assert.equal(plain?.path, null);
  assert.equal(plain?.profile.classes.llm?.ttftMs, undefined);
  // llm-stream streams whatever STREAM says; kserve-v2 has no streamed route
  assert.equal(resolveSlo(null, 'llm-stream', 'reference', unstreamed, problems)?.profile.name, 'interactive-chat');
  assert.equal(
    resolveSlo(null, 'ramp', 'kserve-v2', DEFAULT_WORKLOAD, problems)?.profile.name,
    'interactive-chat, not streamed',
  );
  assert.equal(
    resolveSlo(null, 'diffusion', 'openai-images', DEFAULT_WORKLOAD, problems)?.profile.name,
    'batch-image, no step time',
  );
  assert.deepEqual(problems, []);
});
