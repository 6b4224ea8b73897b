import { test } from 'node:test';
import assert from 'node:assert/strict';
import { headerValue, inferenceMs, parseServerTimingHeader, parseTimingsJson } from './parse.ts';

test('parseServerTimingHeader reads dur of known names, table-driven', () => {
  const cases: Array<[string | undefined, object]> = [
    [undefined, {}],
    ['', {}],
    ['queue;dur=1.5, total;dur=20', { queueMs: 1.5, totalMs: 20 }],
    ['Queue;desc="wait";dur=3,denoise;dur=80.25,step;dur=10.03', { queueMs: 3, denoiseMs: 80.25, stepMs: 10.03 }],
    ['cache;desc="hit", db;dur=53, total;dur="7"', { totalMs: 7 }],
    ['queue;dur=abc, total', {}],
    ['queue;dur=1, prefill;dur=2, decode;dur=3, ttft;dur=4, total;dur=9', { queueMs: 1, prefillMs: 2, decodeMs: 3, ttftMs: 4, totalMs: 9 }],
  ];
  for (const [header, want] of cases) assert.deepEqual(parseServerTimingHeader(header), want, String(header));
});

test('parseTimingsJson reads <name>_ms fields and ignores the rest', () => {
  assert.deepEqual(parseTimingsJson({ queue_ms: 2, total_ms: 10, step_ms: 1.5, batch_size_mean: 3, foo_ms: 1, png_ms: 'x' }), { queueMs: 2, totalMs: 10, stepMs: 1.5 });
  assert.deepEqual(parseTimingsJson(null), {});
  assert.deepEqual(parseTimingsJson('queue_ms'), {});
});

test('headerValue ignores case and inferenceMs needs total and queue', () => {
  assert.equal(headerValue({ 'Server-Timing': 'a' }, 'server-timing'), 'a');
  assert.equal(headerValue({ 'server-timing': 'b' }, 'Server-Timing'), 'b');
  assert.equal(headerValue({}, 'x'), undefined);
  assert.equal(inferenceMs({ totalMs: 10, queueMs: 4 }), 6);
  assert.equal(inferenceMs({ totalMs: 10 }), undefined);
});
