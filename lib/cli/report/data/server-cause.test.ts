import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  SIGNALS,
  type ServerSignalStats,
  type ServerStageBlock,
  type SignalId,
} from '../../../shared/server-signals.ts';
import type { RunSummary } from '../../run-folder/run-record.ts';
import { rampSummary } from '../../../../test/fixtures/ramp-summary.ts';
import { answerOf } from './answer.ts';
import { serverCause } from './server-cause.ts';
import { sloRows } from './slo.ts';

type Row = [SignalId, number, number, number, number?];
/** [signal, mean, first, last, total?]; max = max(first, last, mean) */
function block(dialect: string, rows: Row[], group = ''): ServerStageBlock {
  return {
    dialect,
    intervals: 10,
    signals: rows.map(([signal, mean, first, last, total]): ServerSignalStats => ({
      signal,
      unit: SIGNALS[signal].unit,
      group,
      mean,
      max: Math.max(mean, first, last),
      first,
      last,
      change: last - first,
      ...(total !== undefined ? { total } : {}),
    })),
  };
}

function withServer(blocks: Record<string, ServerStageBlock>, dialect = 'vllm'): RunSummary {
  const s = rampSummary();
  for (const st of s.stages ?? []) {
    const b = blocks[st.stage];
    if (b !== undefined) st.server = b;
  }
  s.serverSignals = { metricsUrl: 'http://127.0.0.1:8000/metrics', dialect, how: 'detected' };
  return s;
}

test('queueing: slots full as before, waiting grew, decode time per token rose; named in the answer sentence', () => {
  const s = withServer(
    {
      'step-02': block('llamacpp', [
        ['busySlots', 7.5, 6, 8],
        ['waiting', 0, 0, 0],
        ['decodeTimePerTokenMs', 9, 9, 9.2],
      ]),
      'step-03': block('llamacpp', [
        ['busySlots', 8, 8, 8],
        ['waiting', 17, 0, 34],
        ['decodeTimePerTokenMs', 28, 20, 30],
      ]),
    },
    'llamacpp',
  );
  const c = serverCause(s, 'step-03', 'step-02')!;
  assert.equal(c.kind, 'queueing');
  assert.equal(
    c.sentence,
    "Why, from the target's own signals (llamacpp) at step-03: busy slots / batch at most 8, no more than at step-02, and requests waiting grew from 0 to 34 during the step; decode time per token rose from 9 ms to 28 ms: requests queued.",
  );
  const a = answerOf(s, sloRows(s));
  assert.match(
    a.sentence,
    /breaks at 10\.5 requests\/s .*Why, from the target's own signals \(llamacpp\) at step-03: .*requests waiting grew from 0 to 34/,
  );
  assert.deepEqual(
    a.facts.find((f) => f.label === 'server side')?.value.startsWith('busy slots / batch at most 8'),
    true,
  );
});

test('memory: KV cache full and preemptions', () => {
  const s = withServer({
    'step-02': block('vllm', [['kvCacheUsage', 0.6, 0.5, 0.7]]),
    'step-03': block('vllm', [
      ['kvCacheUsage', 0.99, 0.9, 1],
      ['preemptions', 21.2, 0, 40, 212],
    ]),
  });
  const c = serverCause(s, 'step-03', 'step-02')!;
  assert.equal(c.kind, 'memory');
  assert.match(c.sentence, /KV cache 100 % and 212 preemptions: memory, not compute\.$/);
});

test('compute: time per token rose without a queue', () => {
  const s = withServer({
    'step-02': block('vllm', [
      ['waiting', 0, 0, 0],
      ['prefillTimeMs', 40, 40, 40],
    ]),
    'step-03': block('vllm', [
      ['waiting', 0, 0, 0],
      ['prefillTimeMs', 90, 60, 120],
    ]),
  });
  const c = serverCause(s, 'step-03', 'step-02')!;
  assert.equal(c.kind, 'compute');
  assert.match(c.sentence, /prefill time rose from 40 ms to 90 ms: compute per token\.$/);
});

test('nothing crossed a limit: the largest change is named', () => {
  const s = withServer({
    'step-02': block('tgi', [['busySlots', 4, 4, 4]]),
    'step-03': block('tgi', [['busySlots', 5, 5, 5]]),
  });
  const c = serverCause(s, 'step-03', 'step-02')!;
  assert.equal(c.kind, 'unclear');
  assert.match(c.sentence, /no signal crossed a limit; the largest change was busy slots \/ batch from 4 to 5\.$/);
});

test('no signals: one line saying so and why; an older summary says nothing', () => {
  const s = rampSummary();
  assert.equal(serverCause(s, 'step-03', 'step-02'), null);
  s.serverSignals = {
    metricsUrl: 'http://127.0.0.1:8000/metrics',
    dialect: null,
    how: 'none',
    note: 'http://127.0.0.1:8000/metrics did not answer (status 404)',
  };
  const c = serverCause(s, 'step-03', 'step-02')!;
  assert.equal(c.kind, 'none');
  assert.equal(c.sentence, 'No server signals to say why: http://127.0.0.1:8000/metrics did not answer (status 404).');
  assert.match(answerOf(s, sloRows(s)).sentence, /was the limit: .*\. No server signals to say why: /);
});

test('label groups: the busiest group is read, not a sum', () => {
  const s = withServer({
    'step-03': {
      dialect: 'vllm',
      intervals: 5,
      signals: [
        ...block('vllm', [['running', 1, 1, 1]], 'model_name="small"').signals,
        ...block(
          'vllm',
          [
            ['running', 8, 8, 8],
            ['waiting', 10, 0, 20],
          ],
          'model_name="big"',
        ).signals,
      ],
    },
  });
  assert.match(
    serverCause(s, 'step-03', null)!.sentence,
    /requests running at most 8 and requests waiting grew from 0 to 20/,
  );
});
