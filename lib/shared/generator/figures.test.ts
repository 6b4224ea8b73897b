import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StageSummary } from '../summary.ts';
import { meanOver, stageFigures } from './figures.ts';

test('meanOver weights each sample by how much of its interval lies in the window', () => {
  const pts = [
    { tMs: 1000, intervalMs: 1000, value: 1 },
    { tMs: 2000, intervalMs: 1000, value: 0 },
  ];
  assert.deepEqual(meanOver(pts, 500, 1500), { mean: 0.5, weightS: 1 });
  assert.deepEqual(meanOver(pts, 0, 1000), { mean: 1, weightS: 1 });
  assert.equal(meanOver(pts, 3000, 4000), undefined);
});

test('stageFigures places each stage on the series from the test start and its planned start', () => {
  const st = (stage: string, startS: number): StageSummary => ({
    stage,
    judged: true,
    durationS: 2,
    startS,
    achievedRps: 1,
    requests: 2,
    completed: true,
    classes: {},
    probeLagP95Ms: 3,
  });
  const t0 = 10_000;
  const k6 = [1, 2, 3, 4].map((k) => ({ tMs: t0 + k * 1000, intervalMs: 1000, value: k <= 2 ? 0.2 : 1 }));
  const allowed = k6.map((p) => ({ ...p, value: 1 }));
  const [a, b] = stageFigures([st('step-01', 0), st('step-02', 2)], {
    testStartMs: t0,
    k6,
    allowed,
    host: [],
    target: [{ tMs: t0 + 4000, intervalMs: 4000, value: 0.5 }],
  });
  assert.equal(a!.k6CpuShare, 0.2);
  assert.equal(b!.k6CpuShare, 1);
  assert.equal(b!.targetCpuCores, 0.5);
  assert.equal(a!.probeLagP95Ms, 3);
  assert.equal(a!.sampledS, 2);
});
