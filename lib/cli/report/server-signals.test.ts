// The report with the target's own signals: the answer names the cause, the
// steps table gains the signals that moved most, the chart aligns them with
// latency per step (rendered to SVG), and report.md carries the same.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SIGNALS, type ServerStageBlock, type SignalId } from '../../shared/server-signals.ts';
import { rampSummary } from '../../../test/fixtures/ramp-summary.ts';
import { renderRunReports } from './render-run.ts';
import { serverColumns, serverCell } from './data/server-columns.ts';

const block = (rows: [SignalId, number, number, number][]): ServerStageBlock => ({
  dialect: 'llamacpp',
  intervals: 8,
  signals: rows.map(([signal, mean, first, last]) => ({
    signal,
    unit: SIGNALS[signal].unit,
    group: '',
    mean,
    max: Math.max(mean, first, last),
    first,
    last,
    change: last - first,
  })),
});

function summaryWithSignals() {
  const s = rampSummary();
  const blocks: Record<string, ServerStageBlock> = {
    'step-01': block([
      ['busySlots', 1, 1, 1],
      ['waiting', 0, 0, 0],
      ['decodeTimePerTokenMs', 8, 8, 8],
      ['generatedTokensPerS', 100, 100, 100],
    ]),
    'step-02': block([
      ['busySlots', 6, 5, 8],
      ['waiting', 0, 0, 0],
      ['decodeTimePerTokenMs', 9, 9, 9],
      ['generatedTokensPerS', 500, 500, 500],
    ]),
    'step-03': block([
      ['busySlots', 8, 8, 8],
      ['waiting', 17, 0, 34],
      ['decodeTimePerTokenMs', 28, 20, 30],
      ['generatedTokensPerS', 520, 500, 540],
    ]),
  };
  for (const st of s.stages ?? []) if (blocks[st.stage] !== undefined) st.server = blocks[st.stage];
  s.serverSignals = { metricsUrl: 'http://127.0.0.1:8080/metrics', dialect: 'llamacpp', how: 'detected' };
  return s;
}

test('server columns: the signals that moved most, in order; cells with the unit', () => {
  const cols = serverColumns(summaryWithSignals());
  assert.deepEqual(
    cols.map((c) => c.signal),
    ['waiting', 'busySlots', 'generatedTokensPerS'],
  );
  assert.equal(serverCell(cols[0]!, 'step-03'), '17 (max 34)');
  assert.equal(serverCell(cols[2]!, 'step-01'), '100/s');
  assert.equal(serverCell(cols[0]!, 'warmup'), '-');
});

test('report.html and report.md: cause in the answer, server columns in the steps table, the aligned chart drawn', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'genload-srv-'));
  writeFileSync(join(dir, 'summary.json'), JSON.stringify(summaryWithSignals()));
  const { model } = await renderRunReports(dir);
  assert.match(
    model.answer.sentence,
    /Why, from the target's own signals \(llamacpp\) at step-03: .*requests waiting grew from 0 to 34 during the step; decode time per token rose from 9 ms to 28 ms/,
  );
  const html = readFileSync(join(dir, 'report.html'), 'utf8');
  assert.match(html, /data-plot="server-signals"><svg[^>]*>.*?<path/s);
  assert.match(html, /<th class="server">requests waiting<\/th>/);
  const md = readFileSync(join(dir, 'report.md'), 'utf8');
  assert.match(md, /\| requests waiting \| busy slots \/ batch \| generated tokens\/s \|/);
  assert.match(md, /Why, from the target's own signals/);
});
