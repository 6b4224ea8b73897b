import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Monitors } from '../run-folder/monitors.ts';
import { seriesKey } from '../monitor/server-signals/snapshot.ts';
import type { Summary } from '../../shared/summary.ts';
import type { CapacityReport } from './report.ts';
import { capacityServerCause } from './server-cause.ts';

const T0 = Date.parse('2026-12-07T10:00:00Z');

/** One llama.cpp scrape per second: waiting grows during the second step, busy slots flat at 4. */
function monitors(): Monitors {
  const server = Array.from({ length: 21 }, (_, i) => ({
    tMs: T0 + i * 1000,
    values: {},
    series: {
      [seriesKey('', 'llamacpp:requests_deferred')]: i <= 10 ? 0 : (i - 10) * 3,
      [seriesKey('', 'llamacpp:n_busy_slots_per_decode')]: 4,
      [seriesKey('', 'llamacpp:tokens_predicted_total')]: i * 100,
      [seriesKey('', 'llamacpp:tokens_predicted_seconds_total')]: i <= 10 ? i * 1 : 10 + (i - 10) * 3,
    },
  }));
  return {
    schemaVersion: 1,
    intervalMs: 1000,
    startedAt: new Date(T0).toISOString(),
    target: { pid: null, metricsUrl: 'http://127.0.0.1:8080/metrics' },
    gpu: { available: false, note: '' },
    process: [],
    host: [],
    gpuSeries: [],
    server,
    notes: [],
    serverDialect: { id: 'llamacpp', how: 'detected' },
  };
}

// a step's summary.json as k6 writes it (the reader checks its shape)
const stepSummary = (): Summary => ({
  schemaVersion: 1,
  tool: 'genload',
  scenario: 'capacity',
  runId: 'capacity-step',
  target: { url: 'http://127.0.0.1:8000', api: 'openai-chat', model: null },
  load: {},
  workload: {},
  durationMs: 10_000,
  validity: { valid: true, reasons: [], notes: [], targetLimits: [], droppedIterations: 0, phases: [] },
  slo: { name: 'default', passed: true, aborted: false, verdicts: [] },
  stages: [
    { stage: 'warmup', judged: false, durationS: 2, achievedRps: 2, requests: 4, completed: true, classes: {} },
    { stage: 'measure', judged: true, durationS: 8, achievedRps: 2, requests: 16, completed: true, classes: {} },
  ],
});

test('capacity pages: each step gets its server block; the lowest failing step is explained against the pass below it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'genload-capcause-'));
  writeFileSync(join(dir, 'monitors.json'), JSON.stringify(monitors()));
  const steps = [
    { dir: 'step-01-2rps', startedAt: new Date(T0).toISOString(), offeredRps: 2, verdict: 'pass' },
    { dir: 'step-02-4rps', startedAt: new Date(T0 + 10_000).toISOString(), offeredRps: 4, verdict: 'fail' },
  ];
  for (const s of steps) {
    mkdirSync(join(dir, s.dir));
    writeFileSync(join(dir, s.dir, 'summary.json'), JSON.stringify(stepSummary()));
  }
  const report = {
    steps: steps.map((s) => ({ ...s, achievedRps: s.offeredRps, requests: 10 })),
  } as unknown as CapacityReport;
  const cause = capacityServerCause(dir, report);
  assert.equal(
    cause,
    "Why, from the target's own signals (llamacpp) at step-02-4rps: busy slots / batch at most 4, no more than at step-01-2rps, and requests waiting grew from 9 to 30 during the step; decode time per token rose from 10 ms to 30 ms: requests queued.",
  );
  const written = JSON.parse(readFileSync(join(dir, 'step-02-4rps', 'summary.json'), 'utf8'));
  assert.equal(written.serverSignals.dialect, 'llamacpp');
  assert.equal(written.stages[1].server.dialect, 'llamacpp');
});

test('capacity pages: no monitors.json (an older run) gives no line; a server without signals gives one line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'genload-capcause-'));
  const report = {
    steps: [{ dir: 'step-01-2rps', startedAt: new Date(T0).toISOString(), offeredRps: 2, verdict: 'fail' }],
  } as unknown as CapacityReport;
  assert.equal(capacityServerCause(dir, report), null);
  writeFileSync(
    join(dir, 'monitors.json'),
    JSON.stringify({ ...monitors(), server: [], serverDialect: { id: null, how: 'none' } }),
  );
  assert.match(
    capacityServerCause(dir, report)!,
    /^No server signals to say why: http:\/\/127\.0\.0\.1:8080\/metrics did not answer\.$/,
  );
});
