// Verdicts that hold: a ramp step is judged on all its samples (a short latency
// spike at the start of a step does not abort the ramp), and a run is invalid
// only when the load generator could not deliver the load, never because the
// target is slow. Real k6, the reference server's sim engine and a plain
// OpenAI-shaped endpoint on loopback.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleScenarios } from '../../lib/cli/bundle/bundle.ts';
import { resolveK6 } from '../../lib/cli/k6/provision.ts';
import { startManagedServer, type ManagedServer } from '../../lib/cli/run/managed-server.ts';
import { TREND } from '../../lib/shared/metrics.ts';
import type { LoadConfig } from '../../lib/shared/run-config.ts';
import type { Summary } from '../../lib/shared/summary.ts';
import { runScenario } from './direct-run.ts';
import { loadRun, startJsonServer, type JsonServer, type LoadRun } from './harness.ts';

const work = mkdtempSync(join(tmpdir(), 'genload-e2e-judgement-'));
let k6Path: string;

before(async () => {
  k6Path = (await resolveK6({ log: () => {} })).path;
  await bundleScenarios();
});
after(() => rmSync(work, { recursive: true, force: true }));

const E2E_P95_MS = 1000;
const SPIKE_MS = 3000;

/** The highest offered rate up to which every step's e2e p95 and error rate held, judged step by step from the summary's own figures. */
function stepByStepHighest(s: Summary): number | undefined {
  let highest: number | undefined;
  for (const st of s.stages.filter((x) => x.judged)) {
    const llm = st.classes.llm;
    const p95 = llm?.latency[TREND.e2eMs]?.p95;
    if (llm === undefined || p95 === undefined || p95 >= E2E_P95_MS || llm.errorRate > 0.05) break;
    highest = st.offeredRps;
  }
  return highest;
}

test('a latency spike of two requests at the start of step 2 does not abort the ramp: each step is judged at its end', async () => {
  // warm-up 2 s at 4 rps (8-9 requests), then 3 steps of 8 s at 4, 6, 8 rps: step-01 sends 32-33,
  // so requests 46 and 47 are among the first of step-02 (48 requests: 2 slow ones stay above its p95)
  let server: ManagedServer | undefined;
  try {
    server = await startManagedServer({
      engine: 'sim',
      logPath: join(work, 'spike-server.log'),
      extraArgs: [
        '--sim.slots',
        '16',
        '--faults.spike-from-request',
        '46',
        '--faults.spike-requests',
        '2',
        '--faults.spike-ms',
        String(SPIKE_MS),
      ],
    });
    const load: LoadConfig = {
      rateRps: 4,
      maxRateRps: 8,
      durationSeconds: 24,
      warmupSeconds: 2,
      vus: 2,
      maxVus: 32,
      arrival: 'constant',
      seed: 1,
    };
    const r = await runScenario({
      k6Path,
      targetUrl: server.url,
      runDir: join(work, 'spike-ramp'),
      scenario: 'ramp',
      api: 'openai-completions',
      load,
      workload: { promptSet: 'short', maxTokens: 8, rampSteps: 3, stream: false },
      // abort.delaySeconds 2: before this change every step could abort from 2 s into the test
      slo: {
        schemaVersion: 1,
        name: 'spiky',
        classes: { llm: { e2eMs: { p95: E2E_P95_MS }, errorRate: 0.05 } },
        abort: { onFail: true, delaySeconds: 2 },
      },
    });
    const s = r.summary;
    const step = (name: string) => s.stages.find((x) => x.stage === name)?.classes.llm?.latency[TREND.e2eMs];
    assert.ok(
      (step('step-02')?.max ?? 0) >= SPIKE_MS,
      `the spike landed in step-02 (max e2e ${step('step-02')?.max} ms)`,
    );
    assert.ok(
      (step('step-01')?.max ?? Infinity) < SPIKE_MS,
      `step-01 had no spike: ${JSON.stringify(s.stages.map((x) => [x.stage, x.requests]))}`,
    );
    assert.equal(s.slo.aborted, false, `the ramp was not aborted by the spike: ${r.stderr.slice(-1500)}`);
    assert.equal(r.code, 0, r.stderr.slice(-1500));
    assert.equal(s.slo.highestPassingRps, 8);
    assert.equal(s.slo.highestPassingRps, stepByStepHighest(s), 'the reported answer is the step-by-step judgement');
  } finally {
    await server?.stop(5000);
  }
});

/** An OpenAI-shaped chat endpoint where every streamed request takes about 1 s: 8 tokens, 125 ms apart. */
async function slowChatServer(): Promise<JsonServer> {
  return startJsonServer((req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[{"id":"slow"}]}');
      return;
    }
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let k = 0;
      const chunk = (delta: object, finish: string | null) =>
        `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
      const timer = setInterval(() => {
        if (res.destroyed) return clearInterval(timer);
        k += 1;
        if (k <= 8) return void res.write(chunk({ content: ` t${k}` }, null));
        clearInterval(timer);
        res.end(
          `${chunk({}, 'length')}data: {"id":"c","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":4,"completion_tokens":8,"total_tokens":12}}\n\ndata: [DONE]\n\n`,
        );
      }, 125);
    });
  });
}

function cliLoad(target: string, name: string, flags: Record<string, string>): Promise<LoadRun> {
  return loadRun({
    scenario: 'llm-stream',
    target,
    api: 'openai-chat',
    results: join(work, 'results'),
    name,
    'max-tokens': '8',
    // about validity, not latency: the default interactive-chat SLO would judge this 1 s server's ITL and TPOT
    slo: 'errors-only',
    ...flags,
  });
}

test("a slow target is not an invalid run: 3 rps of 1 s requests is valid; 300 rps with MAX_VUS=10 is the target's limit, named with its number", async () => {
  const server = await slowChatServer();
  try {
    const low = await cliLoad(server.url, 'slow-3rps', { rate: '3', duration: '20', warmup: '2' });
    assert.equal(low.code, 0, low.stderr.slice(-3000));
    assert.equal(low.summary.validity.valid, true, low.summary.validity.reasons.join('; '));
    assert.deepEqual(low.summary.validity.targetLimits, []);
    const e2e = low.summary.stages.find((s) => s.stage === 'measure')?.classes.llm?.latency[TREND.e2eMs];
    assert.ok(e2e !== undefined && e2e.p50 >= 900, `requests took about 1 s (p50 ${e2e?.p50} ms)`);
    assert.ok(low.summary.validity.generatorLagP95Ms !== undefined, 'the generator probe ran');

    const high = await cliLoad(server.url, 'slow-300rps', {
      rate: '300',
      'max-rate': '300',
      duration: '5',
      warmup: '0',
      'max-vus': '10',
    });
    assert.equal(
      high.code,
      99,
      `the target did not take the load: a failed verdict (exit 99)\n${high.stderr.slice(-3000)}`,
    );
    assert.match(
      high.stderr,
      /the target did not take the offered load: stage measure: the target needed more than MAX_VUS=10 concurrent requests \(about \d+/,
    );
    assert.equal(high.summary.validity.valid, true, high.summary.validity.reasons.join('; '));
    assert.doesNotMatch(JSON.stringify(high.summary.validity), /saturated/);
    const limit = high.summary.validity.targetLimits[0];
    assert.ok(
      limit !== undefined && limit.neededConcurrency > 200,
      `needed concurrency about 300 (${limit?.neededConcurrency})`,
    );
    assert.ok(high.summary.slo.verdicts.some((v) => v.delivery === true && !v.ok && v.stage === 'measure'));
    // the report's answer names it in words
    assert.match(
      readFileSync(join(high.dir, 'report.md'), 'utf8'),
      /offered load taken within MAX_VUS=10 concurrent requests \(needed about [\d.]+\): broken/,
    );
  } finally {
    await server.close();
  }
});
