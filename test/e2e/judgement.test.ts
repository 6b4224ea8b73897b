// Verdicts that hold: a ramp step is judged on all its samples (a short latency
// spike at the start of a step does not abort the ramp), and a run is invalid
// only when the load generator could not deliver the load, never because the
// target is slow. Real k6, the reference server's sim engine and a plain
// OpenAI-shaped endpoint on loopback.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleScenarios } from '../../build/bundle.ts';
import { resolveK6 } from '../../lib/cli/k6/provision.ts';
import { startManagedServer, type ManagedServer } from '../../lib/cli/run/managed-server.ts';
import { TREND } from '../../lib/shared/metrics.ts';
import type { LoadConfig } from '../../lib/shared/run-config.ts';
import type { Summary } from '../../lib/shared/summary.ts';
import { runScenario } from './direct-run.ts';

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
      extraArgs: ['--sim.slots', '16', '--faults.spike-from-request', '46', '--faults.spike-requests', '2', '--faults.spike-ms', String(SPIKE_MS)],
    });
    const load: LoadConfig = { rateRps: 4, maxRateRps: 8, durationSeconds: 24, warmupSeconds: 2, vus: 2, maxVus: 32, arrival: 'constant', seed: 1 };
    const r = await runScenario({
      k6Path,
      targetUrl: server.url,
      runDir: join(work, 'spike-ramp'),
      scenario: 'ramp',
      api: 'openai-completions',
      load,
      workload: { promptSet: 'short', maxTokens: 8, rampSteps: 3, stream: false },
      // abort.delaySeconds 2: before this change every step could abort from 2 s into the test
      slo: { schemaVersion: 1, name: 'spiky', classes: { llm: { e2eMs: { p95: E2E_P95_MS }, errorRate: 0.05 } }, abort: { onFail: true, delaySeconds: 2 } },
    });
    const s = r.summary;
    const step = (name: string) => s.stages.find((x) => x.stage === name)?.classes.llm?.latency[TREND.e2eMs];
    assert.ok((step('step-02')?.max ?? 0) >= SPIKE_MS, `the spike landed in step-02 (max e2e ${step('step-02')?.max} ms)`);
    assert.ok((step('step-01')?.max ?? Infinity) < SPIKE_MS, `step-01 had no spike: ${JSON.stringify(s.stages.map((x) => [x.stage, x.requests]))}`);
    assert.equal(s.slo.aborted, false, `the ramp was not aborted by the spike: ${r.stderr.slice(-1500)}`);
    assert.equal(r.code, 0, r.stderr.slice(-1500));
    assert.equal(s.slo.highestPassingRps, 8);
    assert.equal(s.slo.highestPassingRps, stepByStepHighest(s), 'the reported answer is the step-by-step judgement');
  } finally {
    await server?.stop(5000);
  }
});
