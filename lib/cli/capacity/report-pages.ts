// capacity.html and capacity.md: the page a person reads after `make
// capacity`, rendered from capacity.json (lib/cli/capacity/report.ts). It
// opens with the answer and its interval, then the latency-throughput curve of
// the steps, the steps table with a link to each step's own report, and the
// replicas and cost plan. Each step folder gets its report.html/report.md
// rendered here (from its summary.json) so the links lead somewhere.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describePlan } from './replica-plan.ts';
import { capacitySloWords, limitWords, searchCeilingAdvice } from './slo-words.ts';
import { resultLevels } from './stepper.ts';
import type { CapacityReport, StepRow } from './report.ts';
import { readCapacity, type CapacityRecord } from '../run-folder/capacity-record.ts';
import { RUN_FILE } from '../run-folder/names.ts';
import { writeFileAtomic } from '../run-folder/write.ts';
import { capacityServerCause } from './server-cause.ts';
import { capacityCurveChart } from '../report/charts/capacity.ts';
import { renderSvg } from '../report/charts/render.ts';
import { escapeXml as esc } from '../report/escape.ts';
import { PAGE_CSS } from '../report/html.ts';
import { renderRunReports } from '../report/render-run.ts';

const rps = (v: number | null | undefined): string =>
  v === null || v === undefined ? '-' : String(Number(v.toPrecision(3)));

/** What the search varied: a rate (open model) or a concurrency (LOAD_MODEL=closed, the stepper's whole numbers). */
function levelOf(r: CapacityReport): { what: string; unit: string; offered: string } {
  return r.loadModel === 'closed'
    ? { what: 'concurrency', unit: 'concurrent requests', offered: 'concurrency' }
    : { what: 'rate', unit: 'requests/s', offered: 'offered/s' };
}

/** The answer in one sentence, from the search's status and interval. */
export function capacitySentence(r: CapacityReport): string {
  const res = r.result;
  const { what, unit } = levelOf(r);
  const slo = capacitySloWords(r);
  const noisy =
    res?.noisy === true ? ' Some rate gave different verdicts on different runs: the boundary is noisy.' : '';
  if (r.status === 'generator-bound') return `${r.message[0]?.toUpperCase() ?? ''}${r.message.slice(1)}.`;
  if (res === null) return `The search did not finish: ${r.message}`;
  const { sustainable, low, high, lowestProbed } = resultLevels(res);
  if (sustainable !== null && high !== null)
    return `One replica sustains ${rps(sustainable)} ${unit} inside ${slo}: it passed at ${rps(low)} ${unit} (confirmed) and failed at ${rps(high)}, so the limit lies in [${rps(low)}, ${rps(high)}] ${unit}.${limitWords(r, unit)}${noisy}`;
  if (sustainable !== null)
    return `One replica sustains at least ${rps(sustainable)} ${unit} inside ${slo}: every ${what} up to the search's maximum passed, so the limit lies above it (${searchCeilingAdvice(r)}).${noisy}`;
  return `No sustainable ${what}: ${slo} failed at every ${what} probed, down to ${rps(lowestProbed)} ${unit}.${noisy}`;
}

/** The latency key shown in the steps table: the SLO's first bounded latency, else the first recorded. */
function headlineKey(r: CapacityReport): string | null {
  return Object.keys(r.steps.find((s) => Object.keys(s.latency).length > 0)?.latency ?? {})[0] ?? null;
}

const stepHeaders = (r: CapacityReport): string[] => [
  'step',
  'purpose',
  levelOf(r).offered,
  'achieved/s',
  'requests',
  'errors',
  'P50',
  'P95',
  'P99',
  'verdict',
  'why',
  'report',
];

function stepCells(s: StepRow, key: string | null, hasReport: boolean): string[] {
  const l = key === null ? undefined : s.latency[key];
  const ms = (v: number | undefined): string => (v === undefined ? '-' : v >= 100 ? v.toFixed(0) : v.toFixed(1));
  return [
    String(s.step),
    s.purpose,
    s.offeredRps !== undefined
      ? rps(s.offeredRps)
      : `${s.concurrency ?? '-'}${s.purpose === 'throughput-probe' ? ' in flight' : ''}`,
    rps(s.achievedRps),
    String(s.requests),
    `${(s.errorRate * 100).toFixed(1)} %`,
    ms(l?.p50Ms),
    ms(l?.p95Ms),
    ms(l?.p99Ms),
    s.verdict,
    s.reasons.join('; ') || '-',
    hasReport ? `${s.dir}/report.html` : '-',
  ];
}

/** "6 in 71 s (a throughput probe at 128 concurrent requests measured 39.8 requests/s)": what the answer cost. */
function searchCost(r: CapacityReport): string {
  const wall = r.wallSeconds === undefined ? '' : ` in ${Math.round(r.wallSeconds)} s`;
  const probe =
    r.probe == null
      ? ''
      : ` (a throughput probe at ${r.probe.concurrency} concurrent requests measured ${r.probe.ceilingRps === null ? 'no usable ceiling' : `${rps(r.probe.ceilingRps)} requests/s`})`;
  return `${r.stepCount ?? r.steps.length}${wall}${probe}`;
}

function planLines(r: CapacityReport): string[] {
  if (r.plan === null) return ['No plan: no sustainable rate was found.'];
  const lines = describePlan(r.plan);
  if (r.plan.replicas === null) lines.push('Give PEAK_RPS (and HEADROOM) for the number of replicas a peak needs.');
  if (r.plan.pricePerReplicaHour === null)
    lines.push('Give PRICE_PER_HOUR (and GPUS_PER_REPLICA, CURRENCY) for costs.');
  return lines;
}

export function renderCapacityMarkdown(
  r: CapacityReport,
  reports: ReadonlySet<string>,
  cause: string | null = null,
): string {
  const key = headlineKey(r);
  const res = r.result === null ? null : resultLevels(r.result);
  const { what, unit } = levelOf(r);
  const l = [`## genload capacity ${r.scenario}: ${r.status}`, '', `**${capacitySentence(r)}**`, ''];
  if (cause !== null) l.push(cause, '');
  l.push(`- **sustainable ${what}:** ${res?.sustainable == null ? 'none' : `${rps(res.sustainable)} ${unit}`}`);
  l.push(`- **interval:** [${rps(res?.low)}, ${rps(res?.high)}] ${unit} (highest confirmed pass, lowest fail)`);
  l.push(`- **steps:** ${searchCost(r)}; target ${r.target.url} (${r.target.api}); ${r.startedAt} → ${r.endedAt}`, '');
  l.push(
    '### Steps',
    '',
    `Latency: ${key ?? 'none recorded'} (ms). Each step's own report is in its folder.`,
    '',
    `| ${stepHeaders(r).join(' | ')} |`,
    `| ${stepHeaders(r)
      .map((_, i) => (i >= 2 && i <= 8 ? '---:' : '---'))
      .join(' | ')} |`,
  );
  for (const s of r.steps) {
    const cells = stepCells(s, key, reports.has(s.dir));
    cells[11] = reports.has(s.dir) ? `[report](${s.dir}/report.html)` : '-';
    l.push(`| ${cells.join(' | ')} |`);
  }
  l.push('', '### Plan', '', ...planLines(r).map((x) => `- ${x}`), '');
  return `${l.join('\n')}\n`;
}

export function renderCapacityHtml(
  r: CapacityReport,
  reports: ReadonlySet<string>,
  curveSvg: string | null,
  cause: string | null = null,
): string {
  const key = headlineKey(r);
  const res = r.result === null ? null : resultLevels(r.result);
  const p: string[] = [
    `<h1>genload capacity ${esc(r.scenario)} <span class="badge ${r.status === 'found' ? 'passed' : 'slo-breached'}">${esc(r.status)}</span></h1>`,
  ];
  p.push(`<p class="answer" id="answer">${esc(capacitySentence(r))}</p>`);
  if (cause !== null) p.push(`<p id="server-cause">${esc(cause)}</p>`);
  p.push('<div class="cards">');
  const { what, unit } = levelOf(r);
  p.push(
    `<div class="card ok"><b>${esc(res?.sustainable == null ? 'none' : `${rps(res.sustainable)} ${unit}`)}</b><span>sustainable ${esc(what)}</span></div>`,
  );
  p.push(
    `<div class="card"><b>[${esc(rps(res?.low))}, ${esc(rps(res?.high))}]</b><span>interval (${esc(unit)})</span></div>`,
  );
  if (r.wallSeconds !== undefined)
    p.push(
      `<div class="card"><b>${r.stepCount ?? r.steps.length} steps, ${Math.round(r.wallSeconds)} s</b><span>search cost</span></div>`,
    );
  if (r.plan?.replicas != null)
    p.push(
      `<div class="card"><b>${r.plan.replicas}</b><span>replicas for ${esc(rps(r.plan.peakRps))} requests/s peak</span></div>`,
    );
  if (r.plan?.costPer1kRequests != null)
    p.push(
      `<div class="card"><b>${esc(r.plan.costPer1kRequests.toPrecision(3))} ${esc(r.plan.currency)}</b><span>per 1,000 requests</span></div>`,
    );
  p.push('</div>');
  p.push(
    `<div class="muted">run <code>${esc(r.runId)}</code> · target ${esc(r.target.url)} (${esc(r.target.api)}) · ${esc(r.startedAt)} → ${esc(r.endedAt)} · ${esc(r.message)} (exit ${r.exitCode})</div>`,
  );
  p.push('<h2>Latency and throughput per step</h2>');
  p.push(
    curveSvg !== null
      ? `<figure id="capacity-curve" data-plot="capacity-curve">${curveSvg}</figure>`
      : '<p class="muted">No step recorded latency: no curve to draw.</p>',
  );
  p.push(
    '<h2>Steps</h2>',
    `<p class="muted">Latency: ${esc(key ?? 'none recorded')} (ms), measurement window only.</p>`,
    `<table id="steps"><tr>${stepHeaders(r)
      .map((h) => `<th>${esc(h)}</th>`)
      .join('')}</tr>`,
  );
  for (const s of r.steps) {
    const cells = stepCells(s, key, reports.has(s.dir)).map((c) => esc(c));
    cells[9] = `<span class="${s.verdict === 'pass' ? 'ok' : 'fail'}">${cells[9]}</span>`;
    cells[10] = `<span class="muted">${cells[10]}</span>`;
    if (reports.has(s.dir)) cells[11] = `<a href="${esc(s.dir)}/report.html">report</a>`;
    p.push(`<tr>${cells.map((c, i) => `<td${i === 10 ? ' style="text-align:left"' : ''}>${c}</td>`).join('')}</tr>`);
  }
  p.push('</table>', '<h2>Plan</h2><ul>', ...planLines(r).map((x) => `<li>${esc(x)}</li>`), '</ul>');
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>genload capacity ${esc(r.runId)}</title><style>${PAGE_CSS}</style></head>\n<body>\n${p.join('\n')}\n</body></html>\n`;
}

/**
 * capacity.json read back: its schema (run-folder/capacity-record.ts) checks the
 * fields every reader relies on and lets the rest through while the record
 * grows; the rest is this version's CapacityReport, as capacityRecord() writes
 * it (through the same schema).
 */
function readCapacityReport(runDir: string): CapacityReport | undefined {
  return readCapacity(runDir) as (CapacityRecord & CapacityReport) | undefined;
}

/** Writes capacity.html and capacity.md in the run folder (and each step's report); returns their paths, or none without capacity.json. */
export async function renderCapacityReports(runDir: string): Promise<string[]> {
  const report = readCapacityReport(runDir);
  if (report === undefined) return [];
  const cause = capacityServerCause(runDir, report);
  const reports = new Set<string>();
  for (const s of report.steps) {
    const dir = join(runDir, s.dir);
    if (!existsSync(join(dir, RUN_FILE.summary))) continue;
    try {
      await renderRunReports(dir, { updateIndex: false });
      reports.add(s.dir);
    } catch {
      // a step whose files cannot be read keeps its row, without a link
    }
  }
  const spec = capacityCurveChart({
    ...report,
    sustainable: report.result === null ? null : resultLevels(report.result).sustainable,
  });
  const svg = spec === null ? null : await renderSvg(spec);
  const files = [join(runDir, 'capacity.html'), join(runDir, 'capacity.md')];
  writeFileAtomic(files[0]!, renderCapacityHtml(report, reports, svg, cause));
  writeFileAtomic(files[1]!, renderCapacityMarkdown(report, reports, cause));
  return files;
}
