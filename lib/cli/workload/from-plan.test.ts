import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadConfig } from '../../shared/run-config.ts';
import { planRun } from '../../shared/scenarios.ts';
import { phaseBlocks } from '../../shared/plan/requests.ts';
import { withWorkloadDefaults } from '../../shared/workload/defaults.ts';
import { builtinTokenizer } from './tokenizer.ts';
import { parseLengthDist, parseTokenPairs } from './lengths.ts';
import { ConfigError } from '../errors.ts';
import { blocksOver } from './from-file.ts';
import { buildRunWorkload, requestListProblems, requestSeed } from './from-plan.ts';
import { lengthsOf } from './plan-lengths.ts';

const LOAD: LoadConfig = {
  rateRps: 2,
  maxRateRps: 6,
  durationSeconds: 12,
  warmupSeconds: 2,
  vus: 1,
  maxVus: 8,
  arrival: 'constant',
  seed: 3,
};
const dir = () => mkdtempSync(join(tmpdir(), 'genload-bw-'));
const read = (path: string) =>
  readFileSync(path, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

test('buildRunWorkload: one block per phase of the plan, exact token counts, bodies for the API', async () => {
  const runDir = dir();
  const w = withWorkloadDefaults({ rampSteps: 3 });
  const r = await buildRunWorkload({
    runDir,
    scenario: 'ramp',
    api: 'openai-chat',
    model: 'm',
    load: LOAD,
    workload: w,
    knobs: {
      inputTokens: parseLengthDist('INPUT_TOKENS', '20..40'),
      outputTokens: parseLengthDist('OUTPUT_TOKENS', '7'),
    },
  });
  const lines = read(join(runDir, 'workload.jsonl'));
  const header = lines[0] as { phases: unknown; count: number; api: string; tokenizer: string };
  assert.deepEqual(header.phases, phaseBlocks(planRun('ramp', 'openai-chat', LOAD, w).plan));
  assert.deepEqual(
    [header.api, header.tokenizer, header.count, lines.length - 1, r.ref.count],
    ['openai-chat', 'o200k_base', 5 + 9 + 17 + 25, 56, 56],
  );
  const tok = builtinTokenizer();
  for (const [k, line] of lines.slice(1).entries()) {
    const body = JSON.parse(String(line['body'])) as {
      messages: Array<{ content: string }>;
      max_tokens: number;
      seed: number;
      stream: boolean;
      model: string;
    };
    assert.equal(line['i'], k);
    assert.equal(line['stream'], true);
    assert.equal(body.stream, true);
    assert.deepEqual([body.model, body.max_tokens, line['outputTokens'], body.seed], ['m', 7, 7, requestSeed(3, k)]);
    const n = tok.encode(body.messages[0]?.content ?? '').length;
    assert.ok(
      n >= 20 && n <= 40 && n === line['inputTokens'],
      `request ${k}: ${n} tokens, line says ${String(line['inputTokens'])}`,
    );
  }
  assert.match(
    r.description,
    /56 requests \(synthetic prompts measured with o200k_base; warmup 5, step-01 9, step-02 17, step-03 25\)/,
  );
});

test('buildRunWorkload: the old knobs still size requests (promptSet mixed: 24 or 320 tokens; maxTokens), and an API that cannot stream does not', async () => {
  const runDir = dir();
  await buildRunWorkload({
    runDir,
    scenario: 'smoke',
    api: 'kserve-v2',
    model: undefined,
    load: { ...LOAD, durationSeconds: 5 },
    workload: withWorkloadDefaults({ promptSet: 'mixed', maxTokens: 9 }),
    knobs: {},
  });
  const lines = read(join(runDir, 'workload.jsonl'))
    .slice(1)
    .filter((l) => l['class'] === 'llm');
  assert.ok(lines.length > 50);
  assert.deepEqual([...new Set(lines.map((l) => l['inputTokens']))].sort(), [24, 320]);
  assert.ok(lines.every((l) => l['stream'] === false && l['outputTokens'] === 9));
});

test("WORKLOAD_FILE: the same request lines under this plan's blocks, the same request-list hash; another API is refused", async () => {
  const first = dir();
  const w = withWorkloadDefaults({});
  const a = await buildRunWorkload({
    runDir: first,
    scenario: 'llm-stream',
    api: 'reference',
    model: undefined,
    load: LOAD,
    workload: w,
    knobs: { inputTokens: parseLengthDist('INPUT_TOKENS', '16'), outputTokens: parseLengthDist('OUTPUT_TOKENS', '4') },
  });
  const second = dir();
  const b = await buildRunWorkload({
    runDir: second,
    scenario: 'llm-stream',
    api: 'reference',
    model: undefined,
    load: LOAD,
    workload: w,
    knobs: { workloadFile: join(first, 'workload.jsonl') },
  });
  assert.equal(b.ref.sha256, a.ref.sha256);
  assert.equal(b.ref.source, 'file');
  assert.deepEqual(read(join(second, 'workload.jsonl')).slice(1), read(join(first, 'workload.jsonl')).slice(1));
  // a longer run over the same file: blocks laid over its requests in shares, all inside the file
  const third = dir();
  const c = await buildRunWorkload({
    runDir: third,
    scenario: 'llm-stream',
    api: 'reference',
    model: undefined,
    load: { ...LOAD, durationSeconds: 60 },
    workload: w,
    knobs: { workloadFile: join(first, 'workload.jsonl') },
  });
  assert.equal(c.ref.sha256, a.ref.sha256);
  const phases = (read(join(third, 'workload.jsonl'))[0] as { phases: Array<{ from: number; count: number }> }).phases;
  assert.ok(
    phases.every((p) => p.from + p.count <= a.ref.count),
    JSON.stringify(phases),
  );
  await assert.rejects(
    buildRunWorkload({
      runDir: dir(),
      scenario: 'llm-stream',
      api: 'openai-chat',
      model: undefined,
      load: LOAD,
      workload: w,
      knobs: { workloadFile: join(first, 'workload.jsonl') },
    }),
    (err: unknown) =>
      err instanceof ConfigError &&
      /was built for API 'reference', but this run's is 'openai-chat'/.test(err.problems.join('\n')),
  );
});

test("blocksOver: the file's own blocks when they cover the plan; else shares of the file in order", () => {
  const own = [
    { name: 'warmup', from: 0, count: 4 },
    { name: 'measure', from: 4, count: 24 },
  ];
  const plan = planRun('llm-stream', 'reference', LOAD, withWorkloadDefaults({})).plan;
  assert.deepEqual(blocksOver(plan, 28, own), own);
  const longer = planRun('llm-stream', 'reference', { ...LOAD, durationSeconds: 100 }, withWorkloadDefaults({})).plan;
  assert.deepEqual(blocksOver(longer, 28, own), [
    { name: 'warmup', from: 0, count: 1 },
    { name: 'measure', from: 1, count: 27 },
  ]);
});

test('requestListProblems: every problem at once, with the knob and the line (length texts: the table, resolve.test.ts)', () => {
  const root = dir();
  const dataset = join(root, 'd.jsonl');
  writeFileSync(dataset, '{"prompt": 1}\n{"prompt": "ok"}\nnope\n');
  const notTokenizer = join(root, 'tokenizer.json');
  writeFileSync(notTokenizer, '{"model": {"type": "Magic"}}');
  const problems = requestListProblems({ dataset, tokenizer: notTokenizer }, withWorkloadDefaults({}), 'reference');
  assert.ok(
    problems.some((p) => /^TOKENIZER: /.test(p)),
    problems.join('\n'),
  );
  const ok = requestListProblems({ dataset }, withWorkloadDefaults({}), 'reference');
  assert.ok(
    ok.some((p) => p.startsWith(`DATASET ${dataset}:1: `)) && ok.some((p) => p.startsWith(`DATASET ${dataset}:3: `)),
    ok.join('\n'),
  );
  // a missing file is the knob's problem (resolve.ts), reported once there
  assert.deepEqual(
    requestListProblems({ dataset: join(root, 'nope.jsonl') }, withWorkloadDefaults({}), 'reference'),
    [],
  );
  assert.deepEqual(lengthsOf({ tokenPairs: parseTokenPairs('10:2,20:4') }, withWorkloadDefaults({})).pairs, [
    { inputTokens: 10, outputTokens: 2 },
    { inputTokens: 20, outputTokens: 4 },
  ]);
});

test('WORKLOAD_FILE of a trace: the reused file plans the same trace phase (its last arrival read from its last line)', async () => {
  const root = dir();
  const trace = join(root, 'trace.jsonl');
  writeFileSync(
    trace,
    `${[0, 400, 2500].map((t, k) => JSON.stringify({ timestamp: 1000 + t, input_length: 8 + k, output_length: 2 })).join('\n')}\n`,
  );
  const first = await buildRunWorkload({
    runDir: dir(),
    scenario: 'trace',
    api: 'openai-chat',
    model: undefined,
    load: LOAD,
    workload: withWorkloadDefaults({}),
    knobs: { trace },
  });
  const again = await buildRunWorkload({
    runDir: dir(),
    scenario: 'trace',
    api: 'openai-chat',
    model: undefined,
    load: LOAD,
    workload: withWorkloadDefaults({}),
    knobs: { workloadFile: first.ref.path },
  });
  assert.deepEqual(again.plan, first.plan);
  assert.deepEqual(first.plan.phases[0]?.executor, {
    kind: 'shared-iterations',
    vus: LOAD.maxVus,
    iterations: 3,
    maxDurationS: Math.ceil(2.5 + 120 + 5),
  });
  assert.equal(again.ref.sha256, first.ref.sha256);
});
