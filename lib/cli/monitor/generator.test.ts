import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGeneratorMonitor, unionCount, type GeneratorDeps } from './generator.ts';

test('k6 CPU and run-queue wait per interval, summed over its processes, against the cores it may use', () => {
  const runDir = mkdtempSync(join(tmpdir(), 'gen-'));
  let now = 0;
  const ticks: Record<number, number> = { 11: 0, 12: 0 };
  const wait: Record<number, number> = { 11: 0, 12: 0 };
  const deps: GeneratorDeps = {
    now: () => now,
    findK6: () => [11, 12],
    cpuTicks: (pid) => ticks[pid],
    waitNs: (pid) => wait[pid],
    allowance: () => ({ cores: 1, cpusAllowed: '0', limitedBy: 'affinity 0' }),
  };
  const g = startGeneratorMonitor({ runDir, k6Path: '/k6' }, deps, false);
  g.sampleNow();
  now = 1000;
  ticks[11] = 60; // 0.6 s of CPU
  ticks[12] = 30;
  wait[11] = 100e6; // 0.1 s waiting
  g.sampleNow();
  const s = g.stop();
  assert.equal(s.points.length, 1);
  assert.equal(s.points[0]!.cpuCores, 0.9);
  assert.equal(s.points[0]!.waitCores, 0.1);
  assert.equal(s.points[0]!.allowedCores, 1, 'two processes on the same CPU share it');
  assert.equal(JSON.parse(readFileSync(join(runDir, 'generator.json'), 'utf8')).points.length, 1);
});

test('no k6 process seen: a note, no points', () => {
  const runDir = mkdtempSync(join(tmpdir(), 'gen-'));
  const g = startGeneratorMonitor(
    { runDir, k6Path: '/k6' },
    { now: () => 0, findK6: () => [], cpuTicks: () => undefined, waitNs: () => undefined, allowance: () => undefined },
    false,
  );
  g.sampleNow();
  assert.match(g.stop().notes.join(), /no k6 process was sampled/);
  assert.equal(unionCount(['0-1', '1,3']), 3);
});
