import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultDeps, startMonitors, type MonitorDeps } from './monitors.ts';
import { parseHostStat, parseKbField, parseProcStat } from './proc.ts';
import { parseExposition } from './server-signals/exposition.ts';
import { sumSeries } from './server-signals/summed-series.ts';
import type { Monitors } from '../run-folder/monitors.ts';

test('proc parsers: a command name with spaces and parentheses, kB fields, host ticks', () => {
  const stat = '1234 (node (x) y) S 1 2 3 4 5 6 7 8 9 10 150 50 0 0 20 0 12';
  assert.equal(parseProcStat(stat), 200);
  assert.equal(parseKbField('Name:\tnode\nVmRSS:\t  2048 kB\n', 'VmRSS'), 2048 * 1024);
  assert.equal(parseKbField('VmSize: 1 kB', 'VmRSS'), undefined);
  assert.deepEqual(parseHostStat('cpu  10 0 10 70 10 0 0 0 0 0\ncpu0 1 2 3 4\n'), { busyTicks: 20, totalTicks: 100 });
});

test('prometheus: sums a series over labels, keeps histogram _sum/_count, ignores comments and others', () => {
  const text = [
    '# HELP genload_num_requests_waiting waiting',
    'genload_num_requests_waiting{model="a"} 3',
    'genload_num_requests_waiting{model="b} odd"} 2',
    'genload_batch_size_sum{model="a",stage="decode"} 40',
    'genload_batch_size_count{model="a",stage="decode"} 10 1700000000000',
    'genload_batch_size_bucket{le="+Inf"} 10',
    'process_cpu_seconds_total 5',
    'genload_images_total NaN',
  ].join('\n');
  assert.deepEqual(sumSeries(parseExposition(text).samples), {
    genload_num_requests_waiting: 5,
    genload_batch_size_sum: 40,
    genload_batch_size_count: 10,
  });
});

function fakeDeps(): MonitorDeps & { clock: { t: number } } {
  const clock = { t: 1_000_000 };
  let ticks = 0;
  return {
    clock,
    now: () => clock.t,
    readProcess: () => ({ cpuTicks: (ticks += 50), rssBytes: 100 * 1024 * 1024 }),
    readHost: () => ({ busyTicks: clock.t / 20, totalTicks: clock.t / 10, memUsedBytes: 1e9 }),
    queryGpu: undefined,
    fetchText: async () => 'genload_num_requests_running{model="m"} 2\n',
  };
}

test('monitors: CPU percent from tick deltas, server series, periodic flush and a final file', async () => {
  const runDir = mkdtempSync(join(tmpdir(), 'genload-mon-'));
  const deps = fakeDeps();
  const mon = startMonitors(
    { runDir, serverPid: 42, metricsUrl: 'http://127.0.0.1:1/metrics', intervalMs: 1000, flushEvery: 2 },
    deps,
    false,
  );
  for (let i = 0; i < 4; i++) {
    await mon.sampleNow();
    deps.clock.t += 1000;
  }
  // flushed after 2 and 4 samples: the file exists before stop()
  const mid = JSON.parse(readFileSync(join(runDir, 'monitors.json'), 'utf8')) as Monitors;
  assert.equal(mid.endedAt, undefined);
  await mon.stop();
  const m = JSON.parse(readFileSync(join(runDir, 'monitors.json'), 'utf8')) as Monitors;
  assert.ok(m.endedAt !== undefined);
  assert.equal(m.process.length, 3); // the first sample only sets the baseline
  assert.equal(m.process[0]?.cpuPercent, 50); // 50 ticks per second = half a core
  assert.equal(m.host[0]?.cpuPercent, 50);
  assert.deepEqual(
    m.server.map((s) => s.values['genload_num_requests_running']),
    [2, 2, 2, 2],
  );
  assert.equal(m.gpu.available, false);
  assert.match(m.gpu.note, /nvidia-smi/);
});

test('monitors: a real process and a real /metrics endpoint; failures become notes, not crashes', async () => {
  const server = createServer((_req, res) => res.end('genload_num_requests_waiting 7\n'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
  const runDir = mkdtempSync(join(tmpdir(), 'genload-mon-'));
  try {
    const mon = startMonitors({ runDir, serverPid: process.pid, metricsUrl: url, intervalMs: 20 }, defaultDeps());
    const deadline = Date.now() + 5000;
    while (mon.record.process.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await mon.stop();
    assert.ok(mon.record.process.length >= 2);
    assert.ok((mon.record.process[0]?.rssBytes ?? 0) > 10 * 1024 * 1024);
    assert.equal(mon.record.server[0]?.values['genload_num_requests_waiting'], 7);
    const gone = startMonitors(
      { runDir, serverPid: 2 ** 22 + 7, metricsUrl: 'http://127.0.0.1:9/metrics', intervalMs: 10 },
      defaultDeps(),
      false,
    );
    await gone.sampleNow();
    await gone.stop();
    assert.equal(gone.record.process.length, 0);
    assert.equal(gone.record.notes.length, 2, gone.record.notes.join('; '));
  } finally {
    server.close();
  }
});
