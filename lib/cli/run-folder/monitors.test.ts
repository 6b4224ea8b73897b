import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MONITORS_SCHEMA_VERSION, readMonitors, writeMonitors, type Monitors } from './monitors.ts';
import { RUN_FILE } from './names.ts';

const record: Monitors = {
  schemaVersion: MONITORS_SCHEMA_VERSION,
  intervalMs: 1000,
  startedAt: '2026-12-07T10:00:00.000Z',
  endedAt: '2026-12-07T10:01:00.000Z',
  target: { pid: 42, metricsUrl: 'http://127.0.0.1:8000/metrics' },
  gpu: { available: false, note: 'nvidia-smi not found on PATH: no GPU series' },
  process: [{ tMs: 1, cpuPercent: 150, rssBytes: 1e9 }],
  host: [{ tMs: 1, cpuPercent: 60, memUsedBytes: 2e9 }],
  gpuSeries: [],
  server: [{ tMs: 1, values: { requests_running: 3 }, series: { '|requests_running': 3 } }],
  serverDialect: { id: 'genload', how: 'detected' },
  notes: [],
};

test('monitors.json: written through the schema, read back typed; a file flushed mid-run (no endedAt) reads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'genload-monitors-'));
  assert.equal(readMonitors(dir), undefined);
  writeMonitors(dir, record);
  assert.deepEqual(readMonitors(dir), record);
  const { endedAt: _, ...flushed } = record;
  writeMonitors(dir, flushed);
  assert.deepEqual(readMonitors(dir), flushed);
});

test('monitors.json: a broken series names the file, the point and the rule; the writer refuses it too', () => {
  const dir = mkdtempSync(join(tmpdir(), 'genload-monitors-'));
  const broken = { ...record, host: [{ tMs: 1, cpuPercent: '60%', memUsedBytes: 2e9 }] };
  writeFileSync(join(dir, RUN_FILE.monitors), JSON.stringify(broken));
  assert.throws(
    () => readMonitors(dir),
    /^RecordError: monitors\.json: host\[0\]\.cpuPercent must be a number, but is '60%'$/,
  );
  assert.throws(() => writeMonitors(dir, broken as unknown as Monitors), /host\[0\]\.cpuPercent/);
});
