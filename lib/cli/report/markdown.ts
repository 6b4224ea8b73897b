// report.md: the run in a few tables, sized for a CI job summary (GitHub's
// $GITHUB_STEP_SUMMARY renders it): verdict, key latencies, SLO thresholds,
// availability and errors. No pictures: report.html has those.

import { formatNumber } from './data/slo.ts';
import { MEASURED_NOTE, type RunReportModel } from './model.ts';

const VERDICT_ICON: Record<string, string> = { passed: '✅', 'slo-breached': '❌', invalid: '⚠️', interrupted: '⏹️', 'k6-failed': '💥', 'config-invalid': '🛑' };

export function renderMarkdown(m: RunReportModel): string {
  const lines: string[] = [];
  lines.push(`## genload ${m.scenario}: ${VERDICT_ICON[m.verdict] ?? '❔'} ${m.verdict}`, '');
  lines.push(`${m.message}${m.exitCode !== null ? ` (exit ${m.exitCode})` : ''}`, '');
  lines.push(`Run \`${m.runId}\`${m.target !== null ? ` against ${m.target}` : ''}${m.durationS !== null ? `, ${m.durationS.toFixed(0)} s` : ''}.`, '');
  if (m.validity !== null && !m.validity.valid) lines.push(`> **Run invalid:** ${m.validity.reasons.join('; ')}`, '');

  const a = m.availability;
  lines.push(`- **Availability:** ${a.total > 0 ? `${(a.availability * 100).toFixed(2)} % (${a.total - a.failed} / ${a.total} requests succeeded)` : 'no requests measured'}`);
  if (m.sustainableRps !== null) lines.push(`- **Sustainable rate:** ${formatNumber(m.sustainableRps)} requests/s`);
  lines.push('');

  if (m.distributions.length > 0) {
    lines.push('| metric | class | count | mean | P50 | P95 | P99 | max |', '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const d of m.distributions) lines.push(`| ${d.metric} | ${d.class ?? 'all'} | ${d.count} | ${formatNumber(d.mean)} | ${formatNumber(d.p50)} | ${formatNumber(d.p95)} | ${formatNumber(d.p99)} | ${formatNumber(d.max)} |`);
    lines.push('', `_${MEASURED_NOTE} Units follow the metric name (\`_ms\`: milliseconds)._`, '');
  }

  if (m.slo.length > 0) {
    lines.push('### SLO thresholds', '', '| | metric | threshold | observed |', '| --- | --- | --- | ---: |');
    for (const r of m.slo) lines.push(`| ${r.ok ? '✅' : r.notReached === true ? '⏭️' : '❌'} | \`${r.metric}\` | \`${r.threshold}\` | ${r.notReached === true ? 'not reached' : formatNumber(r.observed)} |`);
    lines.push('');
  } else lines.push('_No SLO thresholds were set for this run._', '');

  if (a.errorsByType.length > 0) {
    lines.push('### Errors by type', '', '| type | requests | share of all |', '| --- | ---: | ---: |');
    for (const e of a.errorsByType) lines.push(`| ${e.type} | ${e.count} | ${a.total > 0 ? ((e.count / a.total) * 100).toFixed(2) : 'n/a'} % |`);
    lines.push('');
  }
  const env = m.environment;
  const envBits = ['k6', 'node', 'onnxruntime', 'cpuModel', 'gpu'].filter((k) => env[k] !== undefined && env[k] !== null).map((k) => `${k} ${String(env[k])}`);
  if (envBits.length > 0) lines.push(`<sub>${envBits.join(' · ')}</sub>`, '');
  return `${lines.join('\n')}\n`;
}
