// Unit tests of the Go request path's script side (native.ts): recipes derived
// from the targets' own bodies, the verification that turns a disagreeing
// runner off, runIteration's hand-over paths, and the golden file the Go
// runner (build/xk6-sse/runner_test.go) is tested against.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { TAG } from '../../shared/metrics.ts';
import { RUN_CONFIG_SCHEMA_VERSION, type RunConfig, type TargetApi } from '../../shared/run-config.ts';
import type { WorkItem } from '../../shared/workload/sample.ts';
import { promptPool } from '../../shared/workload/prompts.ts';
import type { Sample } from '../metrics/samples.ts';
import { steadyPlan } from '../../shared/plan/shapes.ts';
import type { Outcome } from '../targets/types.ts';
import type { HttpReply, RequestSpec, Transport } from '../transport/types.ts';
import { buildRunContext, sampleRequest, type RunContext } from './context.ts';
import { runIteration } from './iteration.ts';
import { deriveRecipe, recipeBody, replayContext, runnerSpec, verifyRunner, VERIFY_KEYS, type NativeRunner, type Recipe } from './native.ts';

function config(api: TargetApi, workload: Record<string, unknown>, model: string | null = 'm', seed = 3): RunConfig {
  return {
    schemaVersion: RUN_CONFIG_SCHEMA_VERSION, scenario: 's', runId: 'r', runDir: '/tmp/r',
    target: { url: 'http://h:1/base/', api, ...(model === null ? {} : { model }), managed: false, readyPath: '/ready' },
    load: { rateRps: 4, maxRateRps: 8, durationSeconds: 10, warmupSeconds: 0, vus: 1, maxVus: 8, arrival: 'constant', seed }, sloPath: null, slo: null, workload,
  };
}

const sent: RequestSpec[] = [];
const transport: Transport = {
  request(spec) {
    sent.push(spec);
    return { status: 200, body: '{"choices":[{"message":{"content":"x"}}],"usage":{"prompt_tokens":2,"completion_tokens":3}}', headers: {}, durationMs: 7, errorCode: 0, error: '' };
  },
  stream() {
    throw new Error('not streamed here');
  },
  sleepMs: () => {},
  nowMs: () => 0,
};

function context(api: TargetApi, workload: Record<string, unknown>, model: string | null = 'm', seed?: number): RunContext {
  const cfg = config(api, workload, model, seed);
  return buildRunContext(cfg, steadyPlan({ load: cfg.load, workload: { ...buildRunContext(cfg, { phases: [], abortable: false }, undefined, transport).workload }, llmShare: 1 }), 'key-1', transport);
}

/** A runner written with the script's own functions: what the Go runner must do. */
function scriptRunner(ctx: RunContext, recipes: Partial<Record<'llm' | 'image', Recipe>>, tweak: { work?: (w: WorkItem) => WorkItem; body?: (b: string) => string } = {}): NativeRunner {
  return {
    next: () => undefined,
    work: (i, k, share) => (tweak.work ?? ((w) => w))(sampleRequest(ctx, i, k, share)),
    body: (w) => {
      const r = recipes[w.class];
      return r === undefined ? undefined : (tweak.body ?? ((b) => b))(recipeBody(r, w));
    },
  };
}

test('workload ignoreEos: chat and completions send ignore_eos and min_tokens = max_tokens, and the recipe fills min_tokens like max_tokens', () => {
  const work: WorkItem = { class: 'llm', prompt: 'p', promptWords: 1, maxTokens: 12, stream: false, seed: 5 };
  for (const api of ['openai-chat', 'openai-completions'] as const) {
    const ctx = context(api, { stream: false, ignoreEos: true }, null);
    const recipe = deriveRecipe(ctx, 'llm');
    assert.ok(typeof recipe !== 'string', String(recipe));
    assert.deepEqual(recipe.holes, ['prompt', 'maxTokens', 'seed', 'maxTokens'], api);
    const body = JSON.parse(recipeBody(recipe, work)) as Record<string, unknown>;
    assert.equal(body['ignore_eos'], true, api);
    assert.equal(body['min_tokens'], 12, api);
    assert.equal(body['max_tokens'], 12, api);
    assert.deepEqual(verifyRunner(ctx, scriptRunner(ctx, { llm: recipe }), { llm: recipe }), [], api);
    const off = deriveRecipe(context(api, { stream: false, ignoreEos: false }, null), 'llm');
    assert.ok(typeof off !== 'string' && !recipeBody(off, work).includes('ignore_eos') && !recipeBody(off, work).includes('min_tokens'), api);
  }
});

test('deriveRecipe: OpenAI chat and completions bodies become templates; streamed, image and non-OpenAI answers stay in the script', () => {
  const chat = deriveRecipe(context('openai-chat', { stream: false }), 'llm');
  assert.ok(typeof chat !== 'string', String(chat));
  assert.deepEqual(chat.holes, ['prompt', 'maxTokens', 'seed']);
  assert.equal(chat.url, 'http://h:1/base/v1/chat/completions');
  assert.equal(chat.answer, 'openai-completion');
  assert.equal(chat.headers['authorization'], 'Bearer key-1');
  const work: WorkItem = { class: 'llm', prompt: 'say "hi"\n\\ now', promptWords: 3, maxTokens: 12, stream: false, seed: 99 };
  assert.equal(recipeBody(chat, work), JSON.stringify({ model: 'm', messages: [{ role: 'user', content: work.prompt }], max_tokens: 12, seed: 99, stream: false }));
  const completions = deriveRecipe(context('openai-completions', { stream: false }, null), 'llm');
  assert.ok(typeof completions !== 'string');
  assert.equal(recipeBody(completions, work), JSON.stringify({ prompt: work.prompt, max_tokens: 12, seed: 99, stream: false }));

  assert.match(String(deriveRecipe(context('openai-chat', { stream: true }), 'llm')), /streamed/);
  assert.match(String(deriveRecipe(context('reference', { stream: false }), 'image')), /not read in Go/);
  assert.match(String(deriveRecipe(context('tgi', { stream: false }), 'llm')), /not read in Go/);
  assert.match(String(deriveRecipe(context('kserve-v2', { stream: false }), 'llm')), /not read in Go/);
  const spec = runnerSpec(context('reference', { stream: false, sizeMix: '64, 128', stepsMix: '' }));
  assert.deepEqual(Object.keys(spec.recipes), ['llm']);
  assert.deepEqual(spec.workload.sizes, [64, 128]);
  assert.deepEqual(spec.workload.steps, [8]);
  assert.equal(spec.pool.text, promptPool().text);
});

test('verifyRunner: a runner that samples and fills like the script passes; any difference is named', () => {
  const ctx = context('reference', { stream: false, promptSet: 'mixed' });
  const spec = runnerSpec(ctx);
  assert.deepEqual(verifyRunner(ctx, scriptRunner(ctx, spec.recipes), spec.recipes), []);
  const offByOne = scriptRunner(ctx, spec.recipes, { work: (w) => (w.class === 'llm' && w.promptWords > 100 ? { ...w, maxTokens: w.maxTokens + 1 } : w) });
  assert.match(verifyRunner(ctx, offByOne, spec.recipes)[0] ?? '', /sampling differs for llm request \d+/);
  const badBody = scriptRunner(ctx, spec.recipes, { body: (b) => b.replace('"max_tokens"', '"max_tokens" ') });
  assert.match(verifyRunner(ctx, badBody, spec.recipes)[0] ?? '', /body differs for llm request 0/);
  // the check meets long prompts (mixed: 30 %) within its keys
  assert.ok(Array.from({ length: VERIFY_KEYS }, (_, k) => sampleRequest(ctx, 0, k, 1)).some((w) => w.class === 'llm' && w.promptWords > 96));
});

test('runIteration with a runner: done in Go, handed over with a reply (the target reads it, no second request), or handed over to send', () => {
  const ctx = context('reference', { stream: false });
  const calls: { samples?: readonly Sample[]; outcome?: Outcome; tags: Readonly<Record<string, string>> }[] = [];
  const record = Object.assign((samples: readonly Sample[], tags: Readonly<Record<string, string>>) => void calls.push({ samples, tags }), {
    outcome: (outcome: Outcome, _limits: unknown, tags: Readonly<Record<string, string>>) => void calls.push({ outcome, tags }),
  });
  const work = sampleRequest(ctx, 0, 0, 1);
  const reply: HttpReply = { status: 503, body: 'busy', headers: {}, durationMs: 4, errorCode: 1503, error: 'status 503', server: { totalMs: 1 } };
  const handOvers: ({ work: WorkItem; reply?: HttpReply } | undefined)[] = [undefined, { work, reply }, { work }];
  const asked: unknown[][] = [];
  ctx.native = { next: (...args) => (asked.push(args), handOvers.shift()), work: () => work, body: () => undefined };
  sent.length = 0;

  assert.equal(runIteration(ctx, { scenario: 'measure', scenarioStartMs: 0, iteration: 5 }, record, () => {}), undefined);
  assert.deepEqual(asked[0], [0, 5, 1, 'measure']);
  const outcomes = () => calls.filter((c) => c.outcome !== undefined);
  assert.equal(outcomes().length, 0, 'recorded in Go');

  const failed = runIteration(ctx, { scenario: 'measure', scenarioStartMs: 0, iteration: 6 }, record, () => {});
  assert.equal(failed?.ok, false);
  assert.equal(failed?.errorClass, 'shed');
  assert.equal(sent.length, 0, 'the reply came from the runner');
  assert.deepEqual(outcomes()[0]?.tags, { [TAG.stage]: 'measure', [TAG.class]: 'llm' });
  assert.equal(outcomes()[0]?.outcome?.errorClass, 'shed');

  const own = runIteration(ctx, { scenario: 'measure', scenarioStartMs: 0, iteration: 7 }, record, () => {});
  assert.equal(own?.ok, true);
  assert.equal(own?.outputTokens, 3);
  assert.equal(sent.length, 1, 'sent by the script');
  assert.equal(sent[0]?.body, recipeBody(runnerSpec(ctx).recipes.llm!, work));
});

test('replayContext answers once', () => {
  const ctx = context('openai-chat', { stream: false });
  const reply: HttpReply = { status: 200, body: '', headers: {}, durationMs: 1, errorCode: 0, error: '' };
  const target = replayContext({ baseUrl: 'http://h', model: undefined, headers: {}, tags: {}, timeoutMs: 1, workload: ctx.workload, transport }, reply);
  const spec: RequestSpec = { method: 'POST', url: 'http://h', headers: {}, tags: {}, timeoutMs: 1 };
  assert.equal(target.transport.request(spec), reply);
  assert.throws(() => target.transport.request(spec), /second request/);
});

// The Go runner (build/xk6-sse/workload.go, template.go) samples and fills
// with these functions' rules. The golden file holds their answers; this test
// checks it still matches, runner_test.go checks Go against it. After a change
// to sampling or bodies: GENLOAD_UPDATE_GOLDEN=1 node --import tsx --test
// lib/k6/run/native.test.ts, then make the Go side agree.
test('sampling and recipe bodies agree with the golden file the Go runner is tested against', () => {
  const golden = new URL('../../../build/xk6-sse/testdata/runner.golden.json', import.meta.url);
  const groups: { api: TargetApi; model?: string | null; workload: Record<string, unknown> }[] = [
    { api: 'reference', workload: { stream: false, promptSet: 'mixed', maxTokens: 64, sizeMix: '64,128', stepsMix: '4,8,20' } },
    { api: 'openai-chat', model: 'q"\\model\u0007', workload: { stream: false, promptSet: 'long', maxTokens: 256, maxTokensDist: 'exponential', maxPromptChars: 900 } },
    { api: 'openai-completions', workload: { stream: false, promptSet: 'short', maxTokens: 32, maxTokensDist: 'uniform', ignoreEos: true } },
    { api: 'reference', workload: { stream: true, promptSet: 'mixed', maxTokens: 7, maxTokensDist: 'exponential', sizePx: 96, steps: 3 } },
  ];
  const draws: [number, number, number, number][] = [];
  for (const seed of [1, 0xdeadbeef, -7]) for (const phase of [0, 3]) for (const key of [0, 1, 17, 123456789]) for (const share of [1, 0, 0.5]) draws.push([seed, phase, key, share]);
  const out = groups.map((g) => {
    const base = context(g.api, g.workload, g.model);
    const spec = runnerSpec(base);
    return {
      api: g.api,
      workload: spec.workload,
      recipes: Object.fromEntries(Object.entries(spec.recipes).map(([cls, r]) => [cls, { literals: r.literals, holes: r.holes }])),
      draws: draws
        .filter(([, , , share]) => share === 1 || base.target.classes.includes('image'))
        .map(([seed, phase, key, share]) => {
          const ctx = context(g.api, g.workload, g.model, seed);
          const work = sampleRequest(ctx, phase, key, share);
          const r = spec.recipes[work.class];
          return { seed, phaseIndex: phase, requestKey: key, llmShare: share, work, body: r === undefined ? null : recipeBody(r, work) };
        }),
    };
  });
  const escapes = ['plain words', 'quote " and \\ backslash', 'controls \u0000\u0001\b\t\n\f\r\u001f end', 'unicode é ü 日本 🙂 \u2028\u2029', '\u007f del'].map((text) => ({ text, escaped: JSON.stringify(text).slice(1, -1) }));
  const text = `${JSON.stringify({ pool: promptPool(), groups: out, escapes }, null, 1)}\n`;
  if (process.env['GENLOAD_UPDATE_GOLDEN'] === '1') writeFileSync(golden, text);
  assert.equal(readFileSync(golden, 'utf8'), text, 'sampling or bodies changed: regenerate the golden file (see above) and update build/xk6-sse');
  // the file exercises what it must: long prompts cut at maxPromptChars, both classes, a class without a recipe
  assert.ok(out[1]?.draws.some((d) => d.work.prompt.length <= 900 && d.work.class === 'llm' && d.work.promptWords > 150));
  assert.ok(out[0]?.draws.some((d) => d.work.class === 'image' && d.body === null));
  assert.ok(out[3]?.draws.every((d) => d.body === null));
});
