// genload against a real third-party server: llama-cpp-python's
// OpenAI-compatible server (llama.cpp inside) serving a tiny random-weight
// Llama that genload writes as GGUF (test/targets/llama-cpp). The real k6
// runs smoke, llm-stream, ramp and concurrency against it; a pass-through
// proxy keeps the server's own account of each answer (usage, text chunks,
// finish_reason) to compare with what genload recorded.
//
// `make llama-cpp` (a prerequisite of `make e2e`) installs the server into a
// cache outside the clone; before() reuses that (or installs, under the same
// lock). The server answers one request at a time; a 16-32 token answer takes
// 50-150 ms on one thread, so it sustains several requests/s and the rates
// below stay well inside that. Runs in about two minutes once provisioned.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleScenarios } from '../../lib/cli/bundle/bundle.ts';
import { cacheRoot } from '../../lib/cli/k6/cache-key.ts';
import { resolveK6 } from '../../lib/cli/k6/provision.ts';
import { TREND } from '../../lib/shared/metrics.ts';
import type { LoadConfig } from '../../lib/shared/run-config.ts';
import type { StageSummary, Summary } from '../../lib/shared/summary.ts';
import { ensureTinyLlama } from '../targets/llama-cpp/model.ts';
import { ensureLlamaCpp } from '../targets/llama-cpp/provision.ts';
import { startLlamaServer, type LlamaServer } from '../targets/llama-cpp/server.ts';
import { startUsageProxy, type UsageProxy } from '../targets/llama-cpp/usage-proxy.ts';
import { runScenario, type ScenarioRun } from './direct-run.ts';
import { runProcess } from './harness.ts';
import { writeHfTokenizer } from '../../bench/peers/hf-tokenizer.ts';

const work = mkdtempSync(join(tmpdir(), 'genload-e2e-llama-'));
let server: LlamaServer;
/** the served model's own tokenizer as a Hugging Face tokenizer.json (bench/peers/hf-tokenizer.ts, from the same vocab) */
let tokenizerJson: string;
let proxy: UsageProxy;
let k6Path: string;

before(async () => {
  const root = cacheRoot(process.env);
  const lcp = await ensureLlamaCpp({ cacheRoot: root });
  const model = ensureTinyLlama(root, lcp.vocabPath);
  tokenizerJson = writeHfTokenizer(lcp.vocabPath, join(work, 'tokenizer'));
  server = await startLlamaServer({
    python: lcp.python,
    modelPath: model.path,
    logPath: join(work, 'llama-server.log'),
  });
  proxy = await startUsageProxy(server.url);
  k6Path = (await resolveK6({ log: () => {} })).path;
  await bundleScenarios();
});
after(async () => {
  await proxy?.close();
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

const LOAD: LoadConfig = {
  rateRps: 3,
  maxRateRps: 3,
  durationSeconds: 5,
  warmupSeconds: 1,
  vus: 2,
  maxVus: 16,
  arrival: 'constant',
  seed: 1,
};
const SLO = {
  schemaVersion: 1,
  name: 'llama-e2e',
  classes: { llm: { ttftMs: { p95: 3000 }, e2eMs: { p95: 8000 }, errorRate: 0, minRequests: 2 } },
};
/** non-streamed answers have no TTFT: an SLO naming it would fail on "nothing measured" */
const SLO_UNSTREAMED = {
  schemaVersion: 1,
  name: 'llama-e2e-unstreamed',
  classes: { llm: { e2eMs: { p95: 8000 }, errorRate: 0, minRequests: 2 } },
};

let runs = 0;
async function run(
  scenario: string,
  api: 'openai-chat' | 'openai-completions',
  o: {
    load?: Partial<LoadConfig>;
    workload?: Record<string, unknown>;
    requestList?: Record<string, string>;
    viaProxy?: boolean;
    slo?: unknown;
  } = {},
): Promise<ScenarioRun & { answers: UsageProxy['answers'] }> {
  const from = proxy.answers.length;
  const r = await runScenario({
    k6Path,
    targetUrl: o.viaProxy ? proxy.url : server.url,
    runDir: join(work, `${++runs}-${scenario}-${api}`),
    scenario,
    api,
    load: { ...LOAD, ...o.load },
    workload: { promptSet: 'short', maxTokens: 16, ...o.workload },
    ...(o.requestList === undefined ? {} : { requestList: o.requestList }),
    slo: o.slo ?? SLO,
  });
  return { ...r, answers: proxy.answers.slice(from) };
}

/** The run delivered its load: genload's own verdict, its reasons printed when it says otherwise. */
function assertValid(s: Summary, what: string): void {
  assert.ok(
    s.validity.valid,
    `${what}: genload called the run invalid: ${JSON.stringify(s.validity.reasons)} (dropped ${s.validity.droppedIterations})`,
  );
}

const llmOf = (st: StageSummary) => {
  const llm = st.classes.llm;
  assert.ok(llm, `stage ${st.stage} has llm traffic`);
  return llm;
};
const measured = (s: Summary) => s.stages.filter((st) => st.stage !== 'warmup');
const totalTokens = (s: Summary) => s.stages.reduce((a, st) => a + (st.classes.llm?.outputTokens ?? 0), 0);
const totalRequests = (s: Summary) => s.stages.reduce((a, st) => a + (st.classes.llm?.requests ?? 0), 0);

test('smoke through the CLI, as a user would: exit 0, valid, TTFT below e2e', async () => {
  const r = await runProcess(
    process.execPath,
    [
      '--import',
      'tsx',
      'lib/cli/main.ts',
      'load',
      '--scenario',
      'smoke',
      '--target',
      server.url,
      '--api',
      'openai-chat',
      '--model',
      server.model,
      '--duration',
      '3',
      '--results',
      join(work, 'results'),
      '--name',
      'llama-smoke',
      '--slo',
      'ci-smoke',
      '--max-tokens',
      '16',
      '--prompts',
      'short',
    ],
    { timeoutMs: 90_000 },
  );
  assert.equal(r.code, 0, r.stderr.slice(-3000));
  const m = /results in (\S+)/.exec(r.stderr);
  assert.ok(m?.[1], r.stderr);
  const s = JSON.parse(readFileSync(join(m[1], 'summary.json'), 'utf8')) as Summary;
  assertValid(s, 'smoke');
  assert.ok(s.slo.passed);
  const lat = llmOf(measured(s)[0]!).latency;
  assert.ok(
    lat[TREND.ttftMs]!.count > 0 && lat[TREND.ttftMs]!.p50 < lat[TREND.e2eMs]!.p50,
    `ttft p50 ${lat[TREND.ttftMs]?.p50} < e2e p50 ${lat[TREND.e2eMs]?.p50}`,
  );
  assertServerSplit(s, readFileSync(join(m[1], 'report.md'), 'utf8'), await serverSendsTimings());
});

/** Whether this server's answers carry llama.cpp's `timings` (llama-server does; llama-cpp-python's own server did not when written). */
async function serverSendsTimings(): Promise<boolean> {
  const res = await fetch(`${server.url}/v1/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: server.model, prompt: 'hello', max_tokens: 4 }),
  });
  const body = (await res.json()) as { timings?: unknown };
  return typeof body.timings === 'object' && body.timings !== null;
}

/** The per-request prefill / decode split and prompt cache: filled where the server sends `timings`, else "not reported by this server", never 0. */
function assertServerSplit(s: Summary, md: string, sendsTimings: boolean): void {
  const st = measured(s)[0]!;
  const lat = llmOf(st).latency;
  if (sendsTimings) {
    assert.ok(lat[TREND.serverPrefillMs]!.count > 0 && lat[TREND.serverDecodeMs]!.avg > 0, 'timings recorded');
    assert.ok(llmOf(st).promptCache !== undefined, 'timings.cache_n recorded');
    assert.match(
      md,
      new RegExp(`\\| ${st.stage} \\| \\d+ \\| [\\d.]+ \\| [\\d.]+ \\| [\\d.]+ \\| [\\d.]+ \\| [\\d.]+ % \\|`),
    );
  } else {
    for (const m of [TREND.serverPrefillMs, TREND.serverDecodeMs, TREND.queueNetworkMs])
      assert.equal(lat[m], undefined, `${m}: nothing recorded, not 0`);
    assert.equal(llmOf(st).promptCache, undefined);
    assert.match(md, /Server prefill, decode and prompt cache: not reported by this server\./);
  }
  // llama-cpp-python serves no /metrics: the summary says why there are no server signals
  assert.equal(s.serverSignals?.dialect === null || s.serverSignals?.dialect === 'llamacpp', true);
  if (s.serverSignals?.dialect === null) assert.match(s.serverSignals.note ?? '', /\/metrics/);
}

test('llm-stream, chat, ignoreEos: valid at 3 rps, TTFT < e2e, every answer ran to max_tokens, genload counts the chunks the server sent', async () => {
  const r = await run('llm-stream', 'openai-chat', { workload: { maxTokens: 24, ignoreEos: true }, viaProxy: true });
  assert.equal(r.code, 0, r.stderr.slice(-3000));
  assertValid(r.summary, 'llm-stream');
  const st = r.summary.stages.find((x) => x.stage === 'measure');
  assert.ok(st);
  const lat = llmOf(st).latency;
  for (const p of ['p50', 'p95', 'max'] as const)
    assert.ok(
      lat[TREND.ttftMs]![p] < lat[TREND.e2eMs]![p],
      `ttft ${p} ${lat[TREND.ttftMs]![p]} < e2e ${p} ${lat[TREND.e2eMs]![p]}`,
    );
  assert.ok(lat[TREND.itlMs]!.count > 0);
  const streams = r.answers.filter((a) => a.stream);
  assert.equal(streams.length, totalRequests(r.summary), 'one streamed answer per request genload counted');
  assert.ok(
    streams.every((a) => a.finishReason === 'length'),
    `forced to max_tokens: ${JSON.stringify(streams.map((a) => a.finishReason))}`,
  );
  // llama-cpp-python sends no usage in streams (it ignores stream_options), so genload counts text chunks
  assert.ok(streams.every((a) => a.usageTokens === undefined));
  // a token that ends inside a UTF-8 character is held back and sent with the next one, so chunks can be
  // fewer than tokens; with finish_reason "length" the true count is max_tokens per answer
  assert.equal(
    totalTokens(r.summary),
    streams.reduce((a, s) => a + s.textChunks, 0),
    'genload output tokens = text chunks the server sent',
  );
  assert.ok(
    totalTokens(r.summary) >= 0.95 * streams.length * 24,
    `${totalTokens(r.summary)} chunks for ${streams.length * 24} generated tokens`,
  );
});

test('not streamed, completions: genload output tokens = the server usage; ignoreEos forces max_tokens, without it answers stop at EOS', async () => {
  const forced = await run('smoke', 'openai-completions', {
    workload: { stream: false, maxTokens: 32, ignoreEos: true },
    load: { durationSeconds: 3 },
    viaProxy: true,
    slo: SLO_UNSTREAMED,
  });
  assert.equal(forced.code, 0, forced.stderr.slice(-3000));
  assertValid(forced.summary, 'smoke forced');
  const usage = (a: UsageProxy['answers']) => a.map((x) => x.usageTokens ?? -1);
  assert.ok(forced.answers.length >= 4, `${forced.answers.length} answers`);
  // llama-cpp-python (llama.py, _create_completion) generates past max_tokens while the text ends inside a
  // UTF-8 character (its multibyte_fix skips the length check), so a forced answer is 32 tokens or 1-3 more
  assert.ok(
    usage(forced.answers).every((n) => n >= 32 && n <= 35),
    `every usage.completion_tokens is max_tokens, or up to 3 more to end a character: ${usage(forced.answers).join(',')}`,
  );
  assert.equal(
    totalTokens(forced.summary),
    usage(forced.answers).reduce((a, b) => a + b, 0),
    'genload total = server usage total',
  );
  assert.equal(totalRequests(forced.summary), forced.answers.length);

  const free = await run('smoke', 'openai-completions', {
    workload: { stream: false, maxTokens: 32 },
    load: { durationSeconds: 3 },
    viaProxy: true,
    slo: SLO_UNSTREAMED,
  });
  assert.equal(free.code, 0, free.stderr.slice(-3000));
  assert.equal(
    totalTokens(free.summary),
    usage(free.answers).reduce((a, b) => a + b, 0),
    'genload total = server usage total',
  );
  const short = usage(free.answers).filter((n) => n < 32).length;
  assert.ok(
    short > free.answers.length / 2,
    `without ignoreEos most answers end early (EOS): ${usage(free.answers).join(',')}`,
  );
});

test("TOKENIZER: prompts measured with the server's own tokenizer.json get the input length the server counts (one BOS token more); the built-in encoding does not", async () => {
  const own = await run('smoke', 'openai-completions', {
    workload: { stream: false, ignoreEos: true },
    requestList: { tokenizer: tokenizerJson, inputTokens: '24..64', outputTokens: '8' },
    load: { durationSeconds: 3 },
    slo: SLO_UNSTREAMED,
  });
  assert.equal(own.code, 0, own.stderr.slice(-3000));
  const t = own.summary.stages.find((x) => x.stage === 'measure')?.classes.llm?.tokens;
  assert.ok(t !== undefined && t.inputErrorMedian !== undefined, 'the server sent usage.prompt_tokens');
  // llama.cpp adds BOS: 1 token on 24-64, so the median error is about 1/44
  assert.ok(
    t.inputErrorMedian > 0 && t.inputErrorMedian < 0.05,
    `median input error with the server's tokenizer ${t.inputErrorMedian}`,
  );
  assert.equal(t.outputShortShare, 0, 'ignoreEos: every answer ran to its requested length');
  assert.ok(Math.abs(t.outputErrorMedian) < 1e-9);
  const builtin = await run('smoke', 'openai-completions', {
    workload: { stream: false, ignoreEos: true },
    requestList: { inputTokens: '24..64', outputTokens: '8' },
    load: { durationSeconds: 3 },
    slo: SLO_UNSTREAMED,
  });
  assert.equal(builtin.code, 0, builtin.stderr.slice(-3000));
  const b = builtin.summary.stages.find((x) => x.stage === 'measure')?.classes.llm?.tokens;
  assert.ok(
    b?.inputErrorMedian !== undefined && Math.abs(b.inputErrorMedian) > 2 * t.inputErrorMedian,
    `o200k_base counts differ more from the server's: ${b?.inputErrorMedian} vs ${t.inputErrorMedian}`,
  );
  assert.ok(
    (builtin.summary.tokenWarnings ?? []).some((w) => /input tokens than requested/.test(w)) ||
      Math.abs(b.inputErrorMedian) <= 0.03,
  );
});

test('ramp 1 -> 4 rps, completions streamed: every step valid and passing, the highest passing rate is the top step', async () => {
  const r = await run('ramp', 'openai-completions', {
    load: { rateRps: 1, maxRateRps: 4, durationSeconds: 16, warmupSeconds: 1 },
    workload: { rampSteps: 4, maxTokens: 16, ignoreEos: true },
    viaProxy: true,
  });
  assert.equal(r.code, 0, r.stderr.slice(-3000));
  assertValid(r.summary, 'ramp');
  assert.equal(r.summary.slo.aborted, false);
  assert.equal(r.summary.slo.highestPassingRps, 4, JSON.stringify(r.summary.slo.verdicts.filter((v) => !v.ok)));
  for (const st of measured(r.summary)) {
    const lat = llmOf(st).latency;
    assert.ok(lat[TREND.ttftMs]!.p50 < lat[TREND.e2eMs]!.p50, `${st.stage}: ttft < e2e`);
  }
  assert.ok(
    r.answers.length > 0 && r.answers.every((a) => a.finishReason === 'length'),
    'ignoreEos: every answer ran to max_tokens',
  );
  assert.equal(
    totalTokens(r.summary),
    r.answers.reduce((a, x) => a + x.textChunks, 0),
    'genload output tokens = text chunks the server sent',
  );
});

test(
  'concurrency 1,2,4 (closed model), chat streamed: valid, every step passing, queueing at the single slot shows in e2e',
  // bounded in time: three 9 s steps at one slot, with room for a slow machine
  { timeout: 180_000 },
  async () => {
    const r = await run('concurrency', 'openai-chat', {
      load: { durationSeconds: 9, warmupSeconds: 1, vus: 1, maxVus: 4, concurrency: [1, 2, 4] },
      workload: { maxTokens: 16, ignoreEos: true },
      viaProxy: true,
    });
    assert.equal(r.code, 0, r.stderr.slice(-3000));
    assertValid(r.summary, 'concurrency');
    const steps = measured(r.summary);
    assert.deepEqual(
      steps.map((s) => s.stage),
      ['step-01', 'step-02', 'step-03'],
    );
    assert.equal(
      r.summary.slo.highestPassingConcurrency,
      4,
      JSON.stringify(r.summary.slo.verdicts.filter((v) => !v.ok)),
    );
    for (const st of steps)
      assert.ok(llmOf(st).latency[TREND.ttftMs]!.p50 < llmOf(st).latency[TREND.e2eMs]!.p50, `${st.stage}: ttft < e2e`);
    // llama-cpp-python runs one request at a time: 4 concurrent requests wait for each other
    const e2e = (k: number) => llmOf(steps[k]!).latency[TREND.e2eMs]!.p50;
    assert.ok(e2e(2) > 2 * e2e(0), `e2e p50 at 4 concurrent ${e2e(2)} ms > 2 × at 1 (${e2e(0)} ms)`);
    assert.ok(
      r.answers.every((a) => a.finishReason === 'length'),
      'every answer ran to max_tokens',
    );
    assert.equal(
      totalTokens(r.summary),
      r.answers.reduce((a, x) => a + x.textChunks, 0),
      'genload output tokens = text chunks the server sent',
    );
  },
);
