// report.html: one self-contained page (inline CSS and SVG, no script, no
// network), rendered from the report model and the plots' SVG.

import { escapeXml as esc } from './escape.ts';
import { formatNumber } from './data/slo.ts';
import { MEASURED_NOTE, type RunReportModel } from './model.ts';

export const PAGE_CSS = `
body{font:14px/1.45 system-ui,sans-serif;color:#222;max-width:1000px;margin:24px auto;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
.badge{display:inline-block;padding:2px 10px;border-radius:12px;color:#fff;font-weight:600;font-size:13px;vertical-align:middle}
.passed{background:#2a9d3c}.slo-breached,.k6-failed{background:#d62728}.invalid,.interrupted,.unknown{background:#e08a00}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:16px 0}.card{border:1px solid #ddd;border-radius:6px;padding:8px 14px;min-width:140px}
.card b{display:block;font-size:20px}.card span{color:#666;font-size:12px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}th{background:#f5f5f5}
td:first-child,th:first-child{text-align:left}.ok{color:#2a9d3c;font-weight:600}.fail{color:#d62728;font-weight:600}
figure{margin:18px 0}figure svg{max-width:100%;height:auto}.muted{color:#666;font-size:12px}code{font-size:12px}
`;

function verdictBadge(verdict: string): string {
  return `<span class="badge ${esc(verdict)}">${esc(verdict)}</span>`;
}

function card(value: string, label: string): string {
  return `<div class="card"><b>${esc(value)}</b><span>${esc(label)}</span></div>`;
}

export function renderHtml(m: RunReportModel, svgs: ReadonlyMap<string, string>): string {
  const a = m.availability;
  const headlines = m.distributions.filter((d) => d.metric === m.headlineMetric);
  const name = (d: { metric: string; class: string | null }): string => (d.class === null ? d.metric : `${d.metric} (${d.class})`);
  const parts: string[] = [];
  parts.push(`<h1>genload ${esc(m.scenario)} ${verdictBadge(m.verdict)}</h1>`);
  parts.push(`<div class="muted">run <code>${esc(m.runId)}</code>${m.target ? ` · target ${esc(m.target)}` : ''}${m.startedAt ? ` · started ${esc(m.startedAt)}` : ''}${m.durationS !== null ? ` · ${m.durationS.toFixed(0)} s` : ''}</div>`);
  parts.push(`<p>${esc(m.message)}${m.exitCode !== null ? ` (exit ${m.exitCode})` : ''}</p>`);
  if (m.validity !== null && !m.validity.valid) parts.push(`<p class="fail">Run invalid: ${esc(m.validity.reasons.join('; '))}</p>`);
  parts.push('<div class="cards">');
  parts.push(card(a.total > 0 ? `${(a.availability * 100).toFixed(2)} %` : 'n/a', `availability (${a.total - a.failed} / ${a.total} succeeded)`));
  for (const h of headlines) parts.push(card(`${formatNumber(h.p95)} ms`, `P95 ${name(h)}`), card(`${formatNumber(h.p50)} ms`, `P50 ${name(h)}`));
  if (m.sustainableRps !== null) parts.push(card(`${formatNumber(m.sustainableRps)} rps`, 'sustainable rate'));
  const heldSlo = m.slo.filter((r) => r.ok).length;
  const reachedSlo = m.slo.filter((r) => r.notReached !== true).length;
  if (m.slo.length > 0) parts.push(card(`${heldSlo} / ${reachedSlo}`, reachedSlo < m.slo.length ? `SLO thresholds held (${m.slo.length - reachedSlo} more in stages not reached)` : 'SLO thresholds held'));
  parts.push('</div>');

  parts.push('<h2>SLO</h2>');
  if (m.slo.length === 0) parts.push('<p class="muted">No SLO thresholds were set for this run.</p>');
  else {
    parts.push('<table><tr><th>metric</th><th>threshold</th><th>observed</th><th>result</th></tr>');
    for (const r of m.slo) parts.push(`<tr><td><code>${esc(r.metric)}</code></td><td><code>${esc(r.threshold)}</code></td><td>${esc(formatNumber(r.observed))}</td><td class="${r.ok ? 'ok' : r.notReached === true ? 'muted' : 'fail'}">${r.ok ? 'pass' : r.notReached === true ? 'not reached' : 'FAIL'}</td></tr>`);
    parts.push('</table>');
  }

  parts.push('<h2>Latency and throughput</h2>');
  if (m.distributions.length > 0) {
    parts.push('<table><tr><th>metric</th><th>class</th><th>count</th><th>mean</th><th>P50</th><th>P90</th><th>P95</th><th>P99</th><th>max</th></tr>');
    for (const d of m.distributions) parts.push(`<tr><td><code>${esc(d.metric)}</code></td><td>${esc(d.class ?? 'all')}</td><td>${d.count}</td>${[d.mean, d.p50, d.p90, d.p95, d.p99, d.max].map((v) => `<td>${esc(formatNumber(v))}</td>`).join('')}</tr>`);
    parts.push('</table>');
  }
  parts.push(`<p class="muted">${esc(MEASURED_NOTE)} Units follow the metric name (_ms: milliseconds, _per_s: per second). Class "all": every request (the run has one class, or the metric carries no class tag); runs mixing LLM and image traffic get one row per class.</p>`);

  parts.push('<h2>Availability and errors</h2>');
  parts.push(`<p>${a.total > 0 ? `${a.total - a.failed} of ${a.total} requests succeeded (${(a.availability * 100).toFixed(2)} %).` : 'No requests were measured.'} <span class="muted">source: ${esc(a.source)}</span></p>`);
  if (a.errorsByType.length > 0) {
    parts.push('<table><tr><th>error type</th><th>requests</th><th>share</th></tr>');
    for (const e of a.errorsByType) parts.push(`<tr><td>${esc(e.type)}</td><td>${e.count}</td><td>${a.total > 0 ? ((e.count / a.total) * 100).toFixed(2) : 'n/a'} %</td></tr>`);
    parts.push('</table>');
  }

  parts.push('<h2>Plots</h2>');
  for (const f of m.figures) {
    const svg = svgs.get(f.id);
    if (svg !== undefined) parts.push(`<figure id="${esc(f.id)}" data-plot="${esc(f.id)}">${svg}</figure>`);
  }
  if (m.missing.length > 0) parts.push(`<p class="muted">Not drawn:</p><ul class="muted">${m.missing.map((s) => `<li>${esc(s)}</li>`).join('')}</ul>`);

  parts.push('<h2>Environment</h2><table>');
  for (const [k, v] of Object.entries(m.environment)) parts.push(`<tr><td>${esc(k)}</td><td>${esc(v === null ? 'none' : String(v))}</td></tr>`);
  parts.push('</table>');
  if (m.artifacts.length > 0) parts.push(`<p class="muted">Files in this run folder: ${m.artifacts.map((f) => `<a href="${esc(f)}">${esc(f)}</a>`).join(' · ')}</p>`);

  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>genload ${esc(m.scenario)} ${esc(m.runId)}</title><style>${PAGE_CSS}</style></head>\n<body>\n${parts.join('\n')}\n</body></html>\n`;
}
