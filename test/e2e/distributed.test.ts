// Two real k6 instances on execution segments against the sim reference server:
// together they send the whole planned load, and the merged summary's counts and
// percentiles equal those computed from the union of both instances' raw samples.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleScenarios } from '../../lib/cli/bundle/bundle.ts';
import { runSegments } from '../../lib/cli/distributed/run-segments.ts';
import { trendStats } from '../../lib/cli/distributed/aggregate.ts';
import { resolveK6 } from '../../lib/cli/k6/provision.ts';
import { measuredValues, readSamples } from '../../lib/cli/run-folder/samples.ts';
import { startManagedServer } from '../../lib/cli/run/managed-server.ts';
import { COUNTER, TAG, TREND } from '../../lib/shared/metrics.ts';
import type { Summary } from '../../lib/shared/summary.ts';
import { directRunConfig, k6Env } from './direct-run.ts';

const RATE_RPS = 8;
const DURATION_S = 4;

test('INSTANCES=2: segments split the load and the merge is exact', { timeout: 90_000 }, async () => {
  const runDir = mkdtempSync(join(tmpdir(), 'genload-dist-'));
  const k6 = await resolveK6({ log: () => {} });
  const [script] = await bundleScenarios(['llm-stream']);
  assert.ok(script !== undefined);
  const server = await startManagedServer({ engine: 'sim', logPath: join(runDir, 'server.log') });
  try {
    const config = await directRunConfig({
      scenario: 'llm-stream',
      runDir,
      targetUrl: server.url,
      rateRps: RATE_RPS,
      durationSeconds: DURATION_S,
      warmupSeconds: 1,
    });
    const result = await runSegments({
      k6Path: k6.path,
      args: ['run', '--no-color', '--quiet'],
      script,
      env: k6Env(config),
      instances: 2,
      runDir,
    });
    assert.equal(result.instanceExitCodes.length, 2);
    for (const code of result.instanceExitCodes)
      assert.ok(code === 0 || code === 99, `instance exit ${code}; see ${runDir}/segments/*/k6.log`);
    const merged = result.summary;
    assert.ok(merged !== undefined, `no merged summary in ${runDir}`);
    assert.deepEqual(
      JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')),
      JSON.parse(JSON.stringify(merged)),
    );

    const parts = [0, 1].map(
      (i) => JSON.parse(readFileSync(join(runDir, 'segments', String(i), 'summary.json'), 'utf8')) as Summary,
    );
    const measure = (s: Summary) => s.stages.find((st) => st.stage === 'measure');
    const partRequests = parts.map((p) => measure(p)?.requests ?? 0);
    // each instance sent a real share of the load, and together the whole plan
    for (const n of partRequests)
      assert.ok(n >= (RATE_RPS * DURATION_S) / 2 - 2, `instance requests ${partRequests.join(', ')}`);
    assert.equal(measure(merged)?.requests, partRequests[0]! + partRequests[1]!);
    assert.ok(
      Math.abs((measure(merged)?.requests ?? 0) - RATE_RPS * DURATION_S) <= 1,
      `merged requests ${measure(merged)?.requests}`,
    );

    // percentiles recomputed from the two instances' files read on their own and pooled
    const pooled: number[] = [];
    for (const i of [0, 1]) {
      const t = await readSamples(join(runDir, 'segments', String(i), 'samples.json.gz'));
      pooled.push(
        ...measuredValues(t, TREND.e2eMs, (tags) => tags[TAG.stage] === 'measure' && tags[TAG.class] === 'llm'),
      );
    }
    const expected = trendStats(pooled);
    assert.ok(expected !== undefined && expected.count === measure(merged)?.requests);
    assert.deepEqual(measure(merged)?.classes.llm?.latency[TREND.e2eMs], expected);

    // the union file holds every sample of both instances
    const union = await readSamples(join(runDir, 'samples.json.gz'));
    assert.equal(union.badLines, 0);
    assert.equal(measuredValues(union, COUNTER.requests).length, partRequests[0]! + partRequests[1]!);
    assert.ok(existsSync(join(runDir, 'segments.json')));
    assert.equal(result.k6ExitCode, merged.slo.passed ? 0 : 99);
  } finally {
    await server.stop();
  }
});
