// summary.txt: the readable form of summary.json. Returns a string; writing
// it is handle.ts's job. Pure.

import { TREND } from '../../shared/metrics.ts';
import type { ClassStageStats, Summary } from '../../shared/summary.ts';
import { sloWords } from '../../shared/slo/words.ts';

/** "interactive-chat (TTFT p95 < 500 ms, e2e p95 < 8 s)": the profile and the bounds its verdicts hang on */
const summarySloWords = (s: Summary): string =>
  sloWords(
    s.slo.name,
    s.slo.verdicts.flatMap((v) => (v.record === undefined ? [] : [v.record])),
  );

const f1 = (x: number | undefined): string => (x === undefined ? '-' : x >= 100 ? x.toFixed(0) : x.toFixed(1));

function p(c: ClassStageStats, metric: string, key: 'p50' | 'p95' | 'p99'): string {
  return f1(c.latency[metric]?.[key]);
}

function pad(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((c, i) => c.padStart(widths[i] ?? 8)).join(' ');
}

export function renderText(s: Summary): string {
  const lines: string[] = [];
  const verdict = !s.validity.valid ? 'INVALID' : s.slo.passed ? 'PASS' : 'FAIL';
  lines.push(`genload ${s.scenario}  run ${s.runId}  ${verdict}`);
  lines.push(
    `target ${s.target.api} ${s.target.url}${s.target.model === null ? '' : ` model ${s.target.model}`}  duration ${(s.durationMs / 1000).toFixed(1)} s  slo ${s.slo.name}`,
  );
  lines.push('');
  const head = [
    'stage',
    'class',
    'offered/s',
    'achieved/s',
    'reqs',
    'err%',
    'e2e p50',
    'e2e p95',
    'e2e p99',
    'ttft p95',
    'itl p95',
    'tpot p95',
    'step p95',
    'queue p95',
    'tok/s',
    'img/s',
  ];
  const widths = [12, 6, 9, 10, 6, 6, 8, 8, 8, 8, 8, 8, 8, 9, 8, 6];
  lines.push(pad(head, widths));
  for (const st of s.stages) {
    for (const [cls, c] of Object.entries(st.classes)) {
      if (c === undefined) continue;
      lines.push(
        pad(
          [
            `${st.stage}${st.judged ? '' : '*'}`,
            cls,
            st.offeredRps === undefined ? '-' : f1(st.offeredRps),
            f1(c.requestsPerS),
            String(c.requests),
            f1(c.errorRate * 100),
            p(c, TREND.e2eMs, 'p50'),
            p(c, TREND.e2eMs, 'p95'),
            p(c, TREND.e2eMs, 'p99'),
            p(c, TREND.ttftMs, 'p95'),
            p(c, TREND.itlMs, 'p95'),
            p(c, TREND.tpotMs, 'p95'),
            p(c, TREND.stepMs, 'p95'),
            p(c, TREND.serverQueueMs, 'p95'),
            c.outputTokens > 0 ? f1(c.outputTokensPerS) : '-',
            c.images > 0 ? f1(c.imagesPerS) : '-',
          ],
          widths,
        ),
      );
    }
  }
  lines.push('(latencies in ms; * = not judged)');
  lines.push('');
  lines.push(
    `slo ${summarySloWords(s)}: ${s.slo.passed ? 'passed' : 'failed'}${s.slo.aborted ? ' (test aborted on breach)' : ''}`,
  );
  if (s.slo.highestPassingRps !== undefined) lines.push(`highest passing rate: ${f1(s.slo.highestPassingRps)} rps`);
  if (s.slo.highestPassingConcurrency !== undefined)
    lines.push(
      `highest passing concurrency: ${s.slo.highestPassingConcurrency} (${f1(s.slo.throughputAtHighestRps ?? 0)} requests/s)`,
    );
  for (const v of s.slo.verdicts)
    lines.push(
      `  ${v.ok ? 'ok  ' : v.notReached === true ? 'skip' : 'FAIL'} ${v.stage} ${v.class}: ${v.meaning}${v.notReached === true ? ' (not reached: the run stopped earlier)' : ''}`,
    );
  lines.push('');
  lines.push(`validity: ${s.validity.valid ? 'valid' : 'INVALID'}`);
  for (const r of s.validity.reasons) lines.push(`  - ${r}`);
  for (const l of s.validity.targetLimits ?? []) lines.push(`  target limit: ${l.message}`);
  for (const n of s.validity.notes ?? []) lines.push(`  note: ${n}`);
  if (s.validity.generatorLagP95Ms !== undefined)
    lines.push(`  load generator: probe lag p95 ${f1(s.validity.generatorLagP95Ms)} ms`);
  for (const w of s.tokenWarnings ?? []) lines.push(`warning: ${w}`);
  if (s.workloadFile !== undefined)
    lines.push(
      `requests: workload.jsonl, ${s.workloadFile.count} ${s.workloadFile.source} requests, sha256 ${s.workloadFile.sha256.slice(0, 16)}`,
    );
  return `${lines.join('\n')}\n`;
}
