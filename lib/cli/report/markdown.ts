// report.md: the run sized for a CI job summary (GitHub's $GITHUB_STEP_SUMMARY
// renders it): the answer sentence and its numbers first, the per-step table,
// the SLO in words, latencies (single-load runs), errors. No pictures:
// report.html has those.

import { formatNumber } from './data/slo.ts';
import { STEP_HEADERS, stepCells, usedColumns } from './data/steps.ts';
import { serverCell } from './data/server-columns.ts';
import { splitMarkdown } from './server-sections.ts';
import { MEASURED_NOTE, type RunReportModel } from './model.ts';

const VERDICT_ICON: Record<string, string> = {
  passed: '✅',
  'slo-breached': '❌',
  invalid: '⚠️',
  interrupted: '⏹️',
  'k6-failed': '💥',
  'config-invalid': '🛑',
};

const STATUS_ICON: Record<string, string> = { pass: '✅', fail: '❌', 'not-reached': '⏭️', 'no-samples': '➖' };

export function renderMarkdown(m: RunReportModel): string {
  const lines: string[] = [];
  lines.push(`## genload ${m.scenario}: ${VERDICT_ICON[m.verdict] ?? '❔'} ${m.verdict}`, '');
  lines.push(`**${m.answer.sentence}**`, '');
  for (const f of m.answer.facts) lines.push(`- **${f.label}:** ${f.value}`);
  const a = m.availability;
  if (m.sustainableRps !== null)
    lines.push(`- **sustainable rate (capacity search):** ${formatNumber(m.sustainableRps)} requests/s`);
  lines.push(
    `- **availability:** ${a.total > 0 ? `${(a.availability * 100).toFixed(2)} % (${a.total - a.failed} / ${a.total} requests succeeded)` : 'no requests measured'}`,
    '',
  );
  lines.push(
    `Run \`${m.runId}\`${m.target !== null ? ` against ${m.target}` : ''}${m.durationS !== null ? `, ${m.durationS.toFixed(0)} s` : ''}: ${m.message}${m.exitCode !== null ? ` (exit ${m.exitCode})` : ''}.`,
    '',
  );
  if (m.validity !== null && !m.validity.valid) lines.push(`> **Run invalid:** ${m.validity.reasons.join('; ')}`, '');

  if (m.steps.length > 0) {
    const cols = usedColumns(m.steps);
    lines.push(
      '### Steps',
      '',
      `| ${[...cols.map((i) => STEP_HEADERS[i]), ...m.serverColumns.map((c) => c.header)].join(' | ')} |`,
      `| ${[...cols.map((i) => (i < 2 || i === STEP_HEADERS.length - 1 ? '---' : '---:')), ...m.serverColumns.map(() => '---:')].join(' | ')} |`,
    );
    for (const r of m.steps) {
      const cells = stepCells(r);
      lines.push(
        `| ${[...cols.map((i) => cells[i]), ...m.serverColumns.map((c) => serverCell(c, r.stage))].join(' | ')} |`,
      );
    }
    lines.push(
      '',
      '_Latencies in ms, per stage and class (summary.json). "generator behind": the load generator did not deliver that stage as planned._',
      '',
    );
  }

  if (m.sloTable.length > 0) {
    lines.push('### SLO', '');
    for (const r of m.sloTable) lines.push(`- ${STATUS_ICON[r.status] ?? ''} ${r.text}`);
    lines.push('', '_Sample-count guards are listed only when they fail; junit.xml has every threshold._', '');
  } else lines.push('_No SLO thresholds were set for this run._', '');

  if (!m.mixesLoad && m.distributions.length > 0) {
    lines.push(
      '### Latency',
      '',
      '| metric | class | count | mean | P50 | P95 | P99 | max |',
      '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const d of m.distributions)
      lines.push(
        `| ${d.metric} | ${d.class ?? 'all'} | ${d.count} | ${formatNumber(d.mean)} | ${formatNumber(d.p50)} | ${formatNumber(d.p95)} | ${formatNumber(d.p99)} | ${formatNumber(d.max)} |`,
      );
    lines.push('', `_${MEASURED_NOTE} Units follow the metric name (\`_ms\`: milliseconds)._`, '');
  }

  lines.push(...splitMarkdown(m.requestSplit));
  if (m.tokens.rows.length > 0) {
    const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
    lines.push(
      '### Requested vs actual tokens',
      '',
      '| stage | requests | answers short of the requested length | output vs requested (median) | input vs requested (median, server count) |',
      '| --- | ---: | ---: | ---: | ---: |',
    );
    for (const r of m.tokens.rows)
      lines.push(
        `| ${r.stage} | ${r.requests} | ${pct(r.outputShortShare)} | ${pct(r.outputErrorMedian)} | ${r.inputErrorMedian === null ? 'no usage sent' : pct(r.inputErrorMedian)} |`,
      );
    lines.push('');
    for (const w of m.tokens.warnings) lines.push(`> ⚠️ ${w}`, '');
    if (m.workloadFile !== null)
      lines.push(
        `_Requests: workload.jsonl, ${m.workloadFile.count} ${m.workloadFile.source} requests, sha256 \`${m.workloadFile.sha256.slice(0, 16)}\`; per-request samples in samples.json.gz._`,
        '',
      );
  }

  if (a.errorsByType.length > 0) {
    lines.push('### Errors by type', '', '| type | requests | share of all |', '| --- | ---: | ---: |');
    for (const e of a.errorsByType)
      lines.push(`| ${e.type} | ${e.count} | ${a.total > 0 ? ((e.count / a.total) * 100).toFixed(2) : 'n/a'} % |`);
    lines.push('');
  }
  const env = m.environment;
  const envBits = ['k6', 'node', 'onnxruntime', 'cpuModel', 'gpu']
    .filter((k) => env[k] !== undefined && env[k] !== null)
    .map((k) => `${k} ${String(env[k])}`);
  if (envBits.length > 0) lines.push(`<sub>${envBits.join(' · ')}</sub>`, '');
  return `${lines.join('\n')}\n`;
}
