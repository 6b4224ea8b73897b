// The answer names the target's own reason for breaking: a ramp through the
// CLI against the reference server's sim engine with two slots (each answer
// holds a slot for ~20 ms of prefill + 16 tokens × 20 ms, so about 6
// requests/s fit), scraped through its /metrics while k6 runs. The step that
// breaks the e2e bound must be explained by a server signal in figures, the
// summary must carry each stage's server block in the reference server's
// dialect, and the report must show the signals beside the steps.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startManagedServer, type ManagedServer } from '../../lib/cli/run/managed-server.ts';
import { TREND } from '../../lib/shared/metrics.ts';
import { loadRun } from './harness.ts';

const work = mkdtempSync(join(tmpdir(), 'genload-e2e-signals-'));
let server: ManagedServer;

before(async () => {
  server = await startManagedServer({
    engine: 'sim',
    logPath: join(work, 'server.log'),
    extraArgs: ['--sim.slots', '2', '--sim.token-ms', '20'],
  });
});
after(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

test('a ramp past the reference server capacity: the answer names a server signal at the break, with figures', async (t) => {
  const slo = join(work, 'slo.json');
  writeFileSync(
    slo,
    JSON.stringify({
      schemaVersion: 1,
      name: 'signals-e2e',
      classes: { llm: { e2eMs: { p95: 1500 }, errorRate: 0.05, minRequests: 3 } },
    }),
  );
  const r = await loadRun(
    {
      scenario: 'ramp',
      target: server.url,
      api: 'openai-chat',
      rate: '2',
      'max-rate': '11',
      duration: '20',
      warmup: '1',
      'max-vus': '64',
      'max-tokens': '16',
      'ignore-eos': 'true',
      stream: 'true',
      workload: 'rampSteps=4',
      slo,
      results: join(work, 'results'),
      name: 'signals',
    },
    180_000,
  );
  const s = r.summary;
  const md = readFileSync(join(r.dir, 'report.md'), 'utf8');
  const answer = /^\*\*(.*)\*\*$/m.exec(md)?.[1] ?? '';
  t.diagnostic(answer);
  assert.deepEqual(s.serverSignals, { metricsUrl: `${server.url}/metrics`, dialect: 'genload', how: 'detected' });
  const judged = s.stages.filter((st) => st.judged);
  assert.ok(
    judged.every((st) => st.server !== undefined && st.server.intervals >= 2),
    `every judged stage has a server block: ${JSON.stringify(judged.map((st) => [st.stage, st.server?.intervals]))}`,
  );
  const waiting = (st: (typeof judged)[number]) =>
    st.server?.signals.find((x) => x.signal === 'waiting' && x.group === 'model="sim-llm"');
  const failing = judged.find((st) => s.slo.verdicts.some((v) => v.stage === st.stage && !v.ok));
  assert.ok(
    failing !== undefined,
    `a step broke the bound: ${JSON.stringify(judged.map((st) => [st.offeredRps, st.classes.llm?.latency[TREND.e2eMs]?.p95]))}`,
  );
  // Poisson arrivals can queue one request for a moment at 2 requests/s, but the failing step queues far more
  assert.ok(
    (waiting(failing)?.max ?? 0) >= 2 && (waiting(failing)?.mean ?? 0) > (waiting(judged[0]!)?.mean ?? 0),
    `requests waited at the failing step: ${JSON.stringify(judged.map((st) => [st.stage, waiting(st)?.mean, waiting(st)?.max]))}`,
  );
  const running = failing.server?.signals.find((x) => x.signal === 'running' && x.group === 'model="sim-llm"');
  assert.ok(running !== undefined && running.max <= 2, `never more than the 2 slots running: ${running?.max}`);

  assert.match(
    answer,
    new RegExp(
      `Why, from the target's own signals \\(genload\\) at ${failing.stage}: [^.]*requests waiting (grew from \\d+ to \\d+ during the step|[\\d.]+ on average|)`,
    ),
    answer,
  );
  assert.match(answer, /requests queued\.|queue time rose from [\d.]+ ms to [\d.]+ ms/);
  assert.match(md, /\| requests waiting model="sim-llm" \|/, 'the steps table shows the queue beside latency');
  const html = readFileSync(join(r.dir, 'report.html'), 'utf8');
  assert.match(html, /data-plot="server-signals"><svg[^>]*>.*?<path/s);
  // the reference server sends Server-Timing prefill and decode: the per-request split is filled
  assert.match(md, /### Server time per request/);
  const split = judged[0]!.classes.llm!.latency;
  assert.ok(
    split[TREND.serverPrefillMs]!.avg > 0 && split[TREND.serverDecodeMs]!.avg > split[TREND.serverPrefillMs]!.avg,
  );
});
