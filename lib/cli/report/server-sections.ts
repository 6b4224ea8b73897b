// The report's "server time per request" section, in Markdown and HTML: the
// per-stage split of data/request-split.ts, or one line when the server sent
// none of it, and the warning when prompts were largely served from its cache.

import { escapeXml as esc } from './escape.ts';
import { anyReported, NOT_REPORTED, SPLIT_HEADERS, splitCells, type SplitRow } from './data/request-split.ts';

export interface SplitSection {
  rows: SplitRow[];
  warnings: string[];
}

const INTRO =
  'Means per request, as the server reported each one (reference server: Server-Timing; llama.cpp: its `timings`); queue + network is e2e − prefill − decode.';

export function splitMarkdown(s: SplitSection): string[] {
  if (s.rows.length === 0) return [];
  const out = ['### Server time per request', ''];
  if (!anyReported(s.rows)) return [...out, `Server prefill, decode and prompt cache: ${NOT_REPORTED}.`, ''];
  out.push(
    `| ${SPLIT_HEADERS.join(' | ')} |`,
    `| ${SPLIT_HEADERS.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
    ...s.rows.map((r) => `| ${splitCells(r).join(' | ')} |`),
    '',
    `_${INTRO} Milliseconds._`,
    '',
  );
  for (const w of s.warnings) out.push(`> ⚠️ ${w}`, '');
  return out;
}

export function splitHtml(s: SplitSection): string[] {
  if (s.rows.length === 0) return [];
  const out = ['<h2>Server time per request</h2>'];
  if (!anyReported(s.rows))
    return [
      ...out,
      `<p class="muted" id="request-split">Server prefill, decode and prompt cache: ${NOT_REPORTED}.</p>`,
    ];
  out.push(
    '<table id="request-split"><tr>',
    ...SPLIT_HEADERS.map((h) => `<th>${esc(h)}</th>`),
    '</tr>',
    ...s.rows.map(
      (r) =>
        `<tr>${splitCells(r)
          .map((c) => `<td>${esc(c)}</td>`)
          .join('')}</tr>`,
    ),
    '</table>',
    `<p class="muted">${esc(INTRO)} Milliseconds.</p>`,
  );
  for (const w of s.warnings) out.push(`<p class="fail">${esc(w)}</p>`);
  return out;
}
