// compare.md and compare.html: one table per run pair (metric × statistic,
// base, cand, change with its interval, verdict), availability and errors of
// both, quality drift, and (HTML) each metric's distributions overlaid.

import type { TopLevelSpec } from 'vega-lite';
import type { RunRecord } from '../run-folder/run-record.ts';
import { classLabel, measuredValues, ofClass } from '../run-folder/samples.ts';
import { cdfChart } from '../report/charts/distribution.ts';
import { cdfPoints } from '../report/data/latency.ts';
import { formatNumber } from '../report/data/slo.ts';
import { escapeXml as esc } from '../report/escape.ts';
import { PAGE_CSS } from '../report/html.ts';
import type { Comparison } from './compare-runs.ts';
import { STAT_NAMES } from './metric-compare.ts';

const pct = (x: number): string => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} %` : 'n/a');
const ICON: Record<string, string> = {
  faster: '🟢',
  slower: '🔴',
  mixed: '🟠',
  'no significant change': '⚪',
  'not enough samples': '❔',
};

/** How the verdicts were reached, for both renderings (and the README). */
export function methodNote(c: Comparison): string {
  return `Measured stages only (warm-up excluded). Intervals are ${Math.round((1 - c.options.alpha) * 100)} % block-bootstrap intervals of the relative change (seed ${c.options.seed}): samples of one run are not independent under queueing, so each run's time-ordered samples are resampled in blocks of consecutive requests (circular moving blocks; the block length, from the series' autocorrelation, is shown as "blocks"). A percentile (P50, P95, P99) changed when its interval excludes 0 and it moved by at least ${(c.options.minEffect * 100).toFixed(0)} %; P95 needs ${c.options.minTailSamples} samples per side, P99 ${5 * c.options.minTailSamples}. A metric is slower when a percentile got worse and none better, faster the other way round, mixed when both.`;
}

interface Row {
  metric: string;
  stat: string;
  base: string;
  cand: string;
  change: string;
  interval: string;
  verdict: string;
}

function rows(c: Comparison): Row[] {
  const out: Row[] = [];
  for (const m of c.metrics) {
    STAT_NAMES.forEach((name, i) => {
      const e = m.stats[name];
      out.push({
        metric: i === 0 ? classLabel(m.metric, m.class) : '',
        stat: name === 'mean' ? 'mean' : name.toUpperCase(),
        base: e ? formatNumber(e.base) : m.baseCount === 0 ? 'no samples' : 'n/a',
        cand: e ? formatNumber(e.cand) : m.candCount === 0 ? 'no samples' : 'n/a',
        change: e ? `${formatNumber(e.diff)} (${pct(e.relative)})` : '',
        interval: e ? `${pct(e.relativeLow)} … ${pct(e.relativeHigh)}` : '',
        verdict:
          i === 0
            ? `${ICON[m.verdict] ?? ''} ${m.verdict} (n ${m.baseCount} / ${m.candCount}${m.blocks !== null ? `, blocks ${m.blocks.base} / ${m.blocks.cand}` : ''})`
            : name !== 'mean'
              ? (m.statVerdicts[name] ?? '')
              : '',
      });
    });
  }
  return out;
}

function availabilityLine(label: string, a: Comparison['availability']['base']): string {
  const errs = a.errorsByType.map((e) => `${e.type} ${e.count}`).join(', ');
  return `${label}: ${a.total > 0 ? `${(a.availability * 100).toFixed(2)} % (${a.total - a.failed} / ${a.total})` : 'no requests'}${errs ? `; errors: ${errs}` : ''}`;
}

function qualityLines(c: Comparison): string[] {
  const q = c.quality;
  if (q === null) return ['No saved outputs to compare (a run saves them as outputs/<prompt-index>.png or .txt).'];
  const lines = [`${q.compared} outputs compared.`];
  for (const i of q.images)
    lines.push(
      `${i.name}: PSNR ${Number.isFinite(i.psnrDb) ? `${i.psnrDb.toFixed(2)} dB` : '∞ (identical)'}, mean abs diff ${i.meanAbsDiff.toFixed(2)} / 255`,
    );
  for (const t of q.texts)
    lines.push(
      `${t.name}: token agreement ${(t.tokenAgreement * 100).toFixed(1)} %, character agreement ${(t.charAgreement * 100).toFixed(1)} %, first ${t.commonPrefixChars} characters identical`,
    );
  if (q.unmatched.length > 0) lines.push(`Not compared: ${q.unmatched.join(', ')}`);
  return lines;
}

export function renderCompareMarkdown(c: Comparison): string {
  const l: string[] = [
    `## genload compare: ${c.summary}`,
    '',
    `Base \`${c.base.runId}\` → candidate \`${c.cand.runId}\`. ${methodNote(c)}`,
    '',
  ];
  l.push(
    '| metric | stat | base | cand | change | interval | verdict |',
    '| --- | --- | ---: | ---: | ---: | ---: | --- |',
  );
  for (const r of rows(c))
    l.push(`| ${r.metric} | ${r.stat} | ${r.base} | ${r.cand} | ${r.change} | ${r.interval} | ${r.verdict} |`);
  l.push('', '### Requests', '', `${c.requests.same === false ? '⚠️ ' : ''}${c.requests.message}.`);
  l.push(
    '',
    '### Availability',
    '',
    `- ${availabilityLine('base', c.availability.base)}`,
    `- ${availabilityLine('cand', c.availability.cand)}`,
    '',
    '### Quality drift',
    '',
    ...qualityLines(c).map((x) => `- ${x}`),
    '',
  );
  return `${l.join('\n')}\n`;
}

/** One distribution overlay per metric (and class, in mixed runs) both runs recorded. */
export function compareFigures(c: Comparison, base: RunRecord, cand: RunRecord): { id: string; spec: TopLevelSpec }[] {
  const out: { id: string; spec: TopLevelSpec }[] = [];
  for (const m of c.metrics) {
    if (m.baseCount === 0 || m.candCount === 0) continue;
    const keep = ofClass(m.class);
    const spec = cdfChart(
      `${classLabel(m.metric, m.class)}: base vs candidate (measured stages)`,
      m.metric.endsWith('_ms') ? 'ms' : m.metric,
      [
        { series: `base ${base.runId}`, points: cdfPoints(measuredValues(base.samples, m.metric, keep)) },
        { series: `cand ${cand.runId}`, points: cdfPoints(measuredValues(cand.samples, m.metric, keep)) },
      ],
    );
    if (spec !== null) out.push({ id: m.class === null ? `cdf-${m.metric}` : `cdf-${m.metric}-${m.class}`, spec });
  }
  return out;
}

export function renderCompareHtml(c: Comparison, svgs: ReadonlyMap<string, string>): string {
  const p: string[] = [
    `<h1>genload compare</h1><p><b>${esc(c.summary)}</b></p>`,
    `<p class="muted">base <code>${esc(c.base.runId)}</code> → candidate <code>${esc(c.cand.runId)}</code>. ${esc(methodNote(c))}</p>`,
  ];
  p.push(
    '<table><tr><th>metric</th><th>stat</th><th>base</th><th>cand</th><th>change</th><th>interval</th><th>verdict</th></tr>',
  );
  for (const r of rows(c))
    p.push(
      `<tr>${[r.metric, r.stat, r.base, r.cand, r.change, r.interval, r.verdict].map((x) => `<td>${esc(x)}</td>`).join('')}</tr>`,
    );
  p.push(
    `</table><h2>Requests</h2><p${c.requests.same === false ? ' class="fail"' : ''}>${esc(c.requests.message)}.</p>`,
  );
  p.push(
    '<h2>Availability</h2><ul>',
    `<li>${esc(availabilityLine('base', c.availability.base))}</li>`,
    `<li>${esc(availabilityLine('cand', c.availability.cand))}</li></ul>`,
  );
  p.push(
    '<h2>Quality drift</h2><ul>',
    ...qualityLines(c).map((x) => `<li>${esc(x)}</li>`),
    '</ul><h2>Distributions</h2>',
  );
  for (const [id, svg] of svgs) p.push(`<figure data-plot="${esc(id)}">${svg}</figure>`);
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>genload compare ${esc(c.base.runId)} vs ${esc(c.cand.runId)}</title><style>${PAGE_CSS}</style></head>\n<body>\n${p.join('\n')}\n</body></html>\n`;
}
