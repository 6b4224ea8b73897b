// report.html: one self-contained page (inline CSS and SVG, no script, no
// network), rendered from the report model and the plots' SVG. The first
// screen holds the answer sentence and its numbers; then the steps with the
// knee plot, the SLO in words, and the rest.

import { escapeXml as esc } from './escape.ts';
import { formatNumber } from './data/slo.ts';
import { STEP_HEADERS, stepCells, usedColumns } from './data/steps.ts';
import { serverCell } from './data/server-columns.ts';
import { splitHtml } from './server-sections.ts';
import { MEASURED_NOTE, type RunReportModel } from './model.ts';

export const PAGE_CSS = `
body{font:14px/1.45 system-ui,sans-serif;color:#222;max-width:1000px;margin:24px auto;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
.badge{display:inline-block;padding:2px 10px;border-radius:12px;color:#fff;font-weight:600;font-size:13px;vertical-align:middle}
.passed{background:#2a9d3c}.slo-breached,.k6-failed{background:#d62728}.invalid,.interrupted,.unknown{background:#e08a00}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:16px 0}.card{border:1px solid #ddd;border-radius:6px;padding:8px 14px;min-width:140px}
.card b{display:block;font-size:17px}.card span{color:#666;font-size:12px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}th{background:#f5f5f5}
td:first-child,th:first-child{text-align:left}.ok{color:#2a9d3c;font-weight:600}.fail{color:#d62728;font-weight:600}
.answer{font-size:17px;line-height:1.45;margin:10px 0 4px;padding:10px 14px;border-left:4px solid #4c78a8;background:#f5f8fc}
.card.ok b{color:#2a9d3c}.card.fail b{color:#d62728}.card.warn b{color:#e08a00}
figure{margin:18px 0}figure svg{max-width:100%;height:auto}.muted{color:#666;font-size:12px}code{font-size:12px}
`;

function verdictBadge(verdict: string): string {
  return `<span class="badge ${esc(verdict)}">${esc(verdict)}</span>`;
}

function card(value: string, label: string, tone?: string): string {
  return `<div class="card${tone ? ` ${tone}` : ''}"><b>${esc(value)}</b><span>${esc(label)}</span></div>`;
}

const STATUS_CLASS: Record<string, string> = {
  pass: 'ok',
  fail: 'fail',
  'not-reached': 'muted',
  'no-samples': 'muted',
};
const STATUS_WORD: Record<string, string> = {
  pass: 'held',
  fail: 'BROKEN',
  'not-reached': 'not reached',
  'no-samples': 'no samples',
};
const VERDICT_CLASS: Record<string, string> = {
  pass: 'ok',
  fail: 'fail',
  'not reached': 'muted',
  'not judged': 'muted',
  'no SLO': '',
};

function stepsTable(m: RunReportModel): string[] {
  if (m.steps.length === 0) return [];
  const cols = usedColumns(m.steps);
  const server = m.serverColumns;
  const out = [
    '<table id="steps"><tr>',
    ...cols.map((i) => `<th>${esc(STEP_HEADERS[i]!)}</th>`),
    ...server.map((c) => `<th class="server">${esc(c.header)}</th>`),
    '</tr>',
  ];
  for (const r of m.steps) {
    const cells = stepCells(r);
    out.push(
      `<tr>${cols.map((i) => `<td${i === cells.length - 1 ? ` class="${VERDICT_CLASS[r.verdict] ?? ''}"` : ''}>${esc(cells[i]!)}</td>`).join('')}${server.map((c) => `<td>${esc(serverCell(c, r.stage))}</td>`).join('')}</tr>`,
    );
  }
  out.push(
    '</table>',
    '<p class="muted">From summary.json, per stage and class; latencies in ms; offered is the planned rate (or VUs of a concurrency step), achieved the measured completions per second. "generator behind": the load generator did not deliver that stage as planned (see validity).</p>',
  );
  return out;
}

export function renderHtml(m: RunReportModel, svgs: ReadonlyMap<string, string>): string {
  const a = m.availability;
  const name = (d: { metric: string; class: string | null }): string =>
    d.class === null ? d.metric : `${d.metric} (${d.class})`;
  const parts: string[] = [];
  parts.push(`<h1>genload ${esc(m.scenario)} ${verdictBadge(m.verdict)}</h1>`);
  parts.push(`<p class="answer" id="answer">${esc(m.answer.sentence)}</p>`);
  parts.push('<div class="cards">');
  for (const f of m.answer.facts) parts.push(card(f.value, f.label, f.tone));
  if (m.sustainableRps !== null)
    parts.push(card(`${formatNumber(m.sustainableRps)} rps`, 'sustainable rate (capacity search)'));
  parts.push(
    card(
      a.total > 0 ? `${(a.availability * 100).toFixed(2)} %` : 'n/a',
      `availability (${a.total - a.failed} / ${a.total} succeeded)`,
    ),
  );
  parts.push('</div>');
  parts.push(
    `<div class="muted">run <code>${esc(m.runId)}</code>${m.target ? ` · target ${esc(m.target)}` : ''}${m.startedAt ? ` · started ${esc(m.startedAt)}` : ''}${m.durationS !== null ? ` · ${m.durationS.toFixed(0)} s` : ''} · ${esc(m.message)}${m.exitCode !== null ? ` (exit ${m.exitCode})` : ''}</div>`,
  );
  if (m.validity !== null && !m.validity.valid)
    parts.push(`<p class="fail">Run invalid: ${esc(m.validity.reasons.join('; '))}</p>`);
  for (const w of m.tokens.warnings) parts.push(`<p class="fail">${esc(w)}</p>`);

  if (m.steps.length > 0) {
    parts.push('<h2>Steps</h2>', ...stepsTable(m));
    const knee = svgs.get('knee');
    if (knee !== undefined) parts.push(`<figure id="knee" data-plot="knee">${knee}</figure>`);
  }

  parts.push(...splitHtml(m.requestSplit));
  parts.push('<h2>SLO</h2>');
  if (m.sloTable.length === 0) parts.push('<p class="muted">No SLO thresholds were set for this run.</p>');
  else {
    parts.push('<table id="slo"><tr><th>result</th><th>bound</th></tr>');
    for (const r of m.sloTable)
      parts.push(
        `<tr><td class="${STATUS_CLASS[r.status] ?? ''}">${STATUS_WORD[r.status] ?? r.status}</td><td style="text-align:left">${esc(r.text)}</td></tr>`,
      );
    parts.push(
      '</table>',
      '<p class="muted">One row per bound, stage and class, judged on that stage\'s own samples. Sample-count guards (every bound needs samples) are listed only when they fail; junit.xml has every threshold.</p>',
    );
  }

  parts.push('<h2>Latency and throughput</h2>');
  if (m.mixesLoad)
    parts.push(
      '<p class="muted">This run offered several load levels: latencies are given per step above (and in the knee plot), never pooled over steps of different load.</p>',
    );
  else if (m.distributions.length > 0) {
    parts.push(
      '<table><tr><th>metric</th><th>class</th><th>count</th><th>mean</th><th>P50</th><th>P90</th><th>P95</th><th>P99</th><th>max</th></tr>',
    );
    for (const d of m.distributions)
      parts.push(
        `<tr><td><code>${esc(name(d))}</code></td><td>${esc(d.class ?? 'all')}</td><td>${d.count}</td>${[d.mean, d.p50, d.p90, d.p95, d.p99, d.max].map((v) => `<td>${esc(formatNumber(v))}</td>`).join('')}</tr>`,
      );
    parts.push('</table>');
    parts.push(
      `<p class="muted">${esc(MEASURED_NOTE)} Units follow the metric name (_ms: milliseconds, _per_s: per second). Class "all": every request (the run has one class, or the metric carries no class tag); runs mixing LLM and image traffic get one row per class.</p>`,
    );
  }

  parts.push('<h2>Availability and errors</h2>');
  parts.push(
    `<p>${a.total > 0 ? `${a.total - a.failed} of ${a.total} requests succeeded (${(a.availability * 100).toFixed(2)} %).` : 'No requests were measured.'} <span class="muted">source: ${esc(a.source)}</span></p>`,
  );
  if (a.errorsByType.length > 0) {
    parts.push('<table><tr><th>error type</th><th>requests</th><th>share</th></tr>');
    for (const e of a.errorsByType)
      parts.push(
        `<tr><td>${esc(e.type)}</td><td>${e.count}</td><td>${a.total > 0 ? ((e.count / a.total) * 100).toFixed(2) : 'n/a'} %</td></tr>`,
      );
    parts.push('</table>');
  }

  parts.push('<h2>Plots</h2>');
  for (const f of m.figures) {
    const svg = svgs.get(f.id);
    if (svg !== undefined && f.id !== 'knee')
      parts.push(`<figure id="${esc(f.id)}" data-plot="${esc(f.id)}">${svg}</figure>`);
  }
  if (m.missing.length > 0)
    parts.push(
      `<p class="muted">Not drawn:</p><ul class="muted">${m.missing.map((s) => `<li>${esc(s)}</li>`).join('')}</ul>`,
    );

  parts.push('<h2>Environment</h2><table>');
  for (const [k, v] of Object.entries(m.environment))
    parts.push(`<tr><td>${esc(k)}</td><td>${esc(v === null ? 'none' : String(v))}</td></tr>`);
  parts.push('</table>');
  if (m.artifacts.length > 0)
    parts.push(
      `<p class="muted">Files in this run folder: ${m.artifacts.map((f) => `<a href="${esc(f)}">${esc(f)}</a>`).join(' · ')}</p>`,
    );

  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>genload ${esc(m.scenario)} ${esc(m.runId)}</title><style>${PAGE_CSS}</style></head>\n<body>\n${parts.join('\n')}\n</body></html>\n`;
}
