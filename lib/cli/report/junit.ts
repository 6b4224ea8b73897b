// junit.xml: one test case per SLO threshold (k6 threshold in summary.json),
// plus one for the run's validity (did the load generator deliver the offered
// load). CI systems show failed cases with the observed value.

import { escapeXml } from './escape.ts';
import { formatNumber, type SloRow } from './data/slo.ts';

/** What a test case needs of an SLO row; `text` (the row in words) is the case's message when present. */
export type JunitSloRow = Pick<SloRow, 'metric' | 'threshold' | 'ok' | 'observed' | 'aggregate'> & {
  notReached?: boolean;
  text?: string;
};

export interface JunitInput {
  runId: string;
  scenario: string;
  durationS: number | null;
  slo: readonly JunitSloRow[];
  validity: { valid: boolean; reasons: readonly string[] } | null;
}

export function renderJunit(input: JunitInput): string {
  const cases: string[] = [];
  for (const row of input.slo) {
    const name = escapeXml(`${row.metric} ${row.threshold}`);
    const observed = row.text ?? `${row.aggregate} = ${formatNumber(row.observed)}`;
    if (row.notReached === true) {
      cases.push(
        `    <testcase classname="genload.slo.${escapeXml(input.scenario)}" name="${name}"><skipped message="not reached: the run stopped before this stage"/></testcase>`,
      );
      continue;
    }
    cases.push(
      row.ok
        ? `    <testcase classname="genload.slo.${escapeXml(input.scenario)}" name="${name}"><system-out>${escapeXml(observed)}</system-out></testcase>`
        : `    <testcase classname="genload.slo.${escapeXml(input.scenario)}" name="${name}">\n      <failure message="${escapeXml(row.text ?? `threshold ${row.threshold} breached: ${observed}`)}" type="slo-breached">${escapeXml(`${row.metric} ${row.threshold}: ${observed}`)}</failure>\n    </testcase>`,
    );
  }
  if (input.validity !== null) {
    const name = 'load generator delivered the offered load';
    cases.push(
      input.validity.valid
        ? `    <testcase classname="genload.run.${escapeXml(input.scenario)}" name="${name}"/>`
        : `    <testcase classname="genload.run.${escapeXml(input.scenario)}" name="${name}">\n      <failure message="${escapeXml(`run invalid: ${input.validity.reasons.join('; ')}`)}" type="run-invalid"/>\n    </testcase>`,
    );
  }
  const failures =
    input.slo.filter((r) => !r.ok && r.notReached !== true).length + (input.validity?.valid === false ? 1 : 0);
  const skipped = input.slo.filter((r) => r.notReached === true).length;
  const time = input.durationS !== null ? ` time="${input.durationS.toFixed(3)}"` : '';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="genload" tests="${cases.length}" failures="${failures}"${time}>`,
    `  <testsuite name="genload ${escapeXml(input.scenario)} ${escapeXml(input.runId)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}"${time}>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
