import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { findOnPath, parseNvidiaSmi, registerGpuMetrics } from './gpu.ts';

test('parses nvidia-smi csv (MiB, percent) and skips junk lines', () => {
  assert.deepEqual(parseNvidiaSmi('0, 37, 1024, 16384\n1, [N/A], 1, 2\n\n'), [
    { index: '0', utilizationRatio: 0.37, memoryUsedBytes: 1024 * 1048576, memoryTotalBytes: 16384 * 1048576 },
  ]);
});

test('without nvidia-smi no GPU metric is registered', async () => {
  assert.equal(findOnPath('nvidia-smi', '/nonexistent'), undefined);
  const registry = new Registry();
  assert.equal(registerGpuMetrics(registry, ''), false);
  assert.equal(await registry.metrics(), '\n');
});
