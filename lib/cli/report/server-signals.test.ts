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
import { NOT_REPORTED, requestSplit, splitCells } from './data/request-split.ts';
import { splitMarkdown } from './server-sections.ts';
import { TREND } from '../../shared/metrics.ts';

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

test('server time per request: filled from the server, "not reported by this server" where it sent nothing, cache warning', async () => {
  const s = summaryWithSignals();
  const [st1, st2] = (s.stages ?? []).filter((x) => x.judged);
  const llm1 = st1!.classes.llm!;
  llm1.latency[TREND.serverPrefillMs] = { ...llm1.latency[TREND.e2eMs]!, avg: 12.5 };
  llm1.latency[TREND.serverDecodeMs] = { ...llm1.latency[TREND.e2eMs]!, avg: 60 };
  llm1.latency[TREND.queueNetworkMs] = { ...llm1.latency[TREND.e2eMs]!, avg: 7.5 };
  llm1.promptCache = { cachedTokens: 90, reportedTokens: 100 };
  const split = requestSplit(s);
  assert.deepEqual(splitCells(split.rows[0]!).slice(3), ['12.5', '60.0', '7.5', '90.0 %']);
  assert.deepEqual(splitCells(split.rows.find((r) => r.stage === st2!.stage)!).slice(3), [
    NOT_REPORTED,
    NOT_REPORTED,
    NOT_REPORTED,
    NOT_REPORTED,
  ]);
  assert.match(
    split.warnings[0]!,
    /prompts were largely served from the server's prompt cache \(step-01 90 % of prompt tokens\): TTFT is flattered/,
  );
  const md = splitMarkdown(split).join('\n');
  assert.match(md, /\| step-01 \| \d+ \| [\d.]+ \| 12\.5 \| 60\.0 \| 7\.5 \| 90\.0 % \|/);

  const none = rampSummary();
  assert.deepEqual(splitMarkdown(requestSplit(none)).slice(2, 3), [
    'Server prefill, decode and prompt cache: not reported by this server.',
  ]);
});
