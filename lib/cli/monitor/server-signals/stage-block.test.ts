import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Monitors } from '../../run-folder/monitors.ts';
import { seriesKey } from './snapshot.ts';
import { serverBlocks } from './summary-blocks.ts';

const G = 'model_name="m"';
/** A vLLM scrape: running, waiting, preemptions counter, queue-time histogram (s). */
const scrape = (tMs: number, running: number, waiting: number, preempt: number, qSum: number, qCount: number) => ({
  tMs,
  values: {},
  series: {
    [seriesKey(G, 'vllm:num_requests_running')]: running,
    [seriesKey(G, 'vllm:num_requests_waiting')]: waiting,
    [seriesKey(G, 'vllm:num_preemptions_total')]: preempt,
    [seriesKey(G, 'vllm:request_queue_time_seconds_sum')]: qSum,
    [seriesKey(G, 'vllm:request_queue_time_seconds_count')]: qCount,
  },
});

function monitors(server: Monitors['server'], dialect: string | null = 'vllm'): Monitors {
  return {
    schemaVersion: 1,
    intervalMs: 1000,
    startedAt: new Date(0).toISOString(),
    target: { pid: null, metricsUrl: 'http://127.0.0.1:8000/metrics' },
    gpu: { available: false, note: '' },
    process: [],
    host: [],
    gpuSeries: [],
    server,
    notes: [],
    serverDialect: { id: dialect, how: dialect === null ? 'none' : 'detected' },
  };
}

test('a stage pools its intervals: histogram mean = Σsum / Σcount, counter total, gauge first/last/change', () => {
  const m = monitors([
    scrape(0, 2, 0, 0, 0, 0),
    scrape(1000, 4, 0, 0, 1, 10), // step-01 interval: 100 ms mean
    scrape(2000, 8, 5, 3, 1, 10), // step-02: no completions
    scrape(3000, 8, 30, 10, 31, 20), // step-02: 30 s over 10 = 3000 ms
  ]);
  const { info, blocks } = serverBlocks(m, [
    { stage: 'step-01', startMs: 0, endMs: 1000 },
    { stage: 'step-02', startMs: 1000, endMs: 3000 },
  ]);
  assert.deepEqual(info, { metricsUrl: 'http://127.0.0.1:8000/metrics', dialect: 'vllm', how: 'detected' });
  const s2 = blocks.get('step-02')!;
  assert.equal(s2.intervals, 2);
  const get = (id: string) => s2.signals.find((s) => s.signal === id)!;
  assert.deepEqual(
    [get('waiting').first, get('waiting').last, get('waiting').change, get('waiting').max],
    [5, 30, 25, 30],
  );
  assert.equal(get('preemptions').total, 10);
  assert.equal(get('preemptions').mean, 5);
  assert.equal(get('queueTimeMs').mean, 3000);
  assert.equal(get('queueTimeMs').group, G);
  assert.equal(blocks.get('step-01')!.signals.find((s) => s.signal === 'queueTimeMs')!.mean, 100);
});

test('no dialect, no answer, no monitors: a note saying why', () => {
  assert.match(serverBlocks(monitors([], null), []).info.note!, /did not answer/);
  assert.match(
    serverBlocks(monitors([{ tMs: 0, values: {}, series: {} }], null), []).info.note!,
    /exposes none of the known dialects' names \(vllm, llamacpp, sglang, tgi, triton, genload; SERVER_DIALECT forces one\)/,
  );
  assert.equal(serverBlocks(undefined, []).info.note, 'no monitors.json in the run folder');
});
