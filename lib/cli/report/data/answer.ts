// The answer a report opens with: one sentence and a few numbers, derived
// from summary.json alone.
//   search runs (ramp, breakpoint, concurrency steps): the highest passing rate
//     or concurrency, the first failing step, which bounds it broke and by how
//     much, and whether the target or the load generator was the limit
//     (summary.validity and the stages its reasons name);
//   steady runs: pass or fail per traffic class with the worst margin.
// Pure.

import type { RunSummary } from '../../run-folder/run-record.ts';
import { withGeneratorAnswer } from './generator-answer.ts';
import { raiseAdvice, sloNameWords } from './answer-slo.ts';
import { formatNumber, metricLabel, type SloRow } from './slo.ts';
import { generatorReasonsByStage, stageLoad, stageVerdicts, type StageLoad } from './steps.ts';
import { serverCause } from './server-cause.ts';

export interface AnswerFact {
  label: string;
  value: string;
  tone?: 'ok' | 'fail' | 'warn';
}

export interface Answer {
  kind: 'search' | 'steady';
  sentence: string;
  facts: AnswerFact[];
  highestPassing: (StageLoad & { stage: string | null }) | null;
  firstFailing: (StageLoad & { stage: string }) | null;
  /** what stopped the run: the target (an SLO bound broke), the load generator (it could not deliver), or neither */
  limit: 'target' | 'generator' | 'none';
}

const SEARCH_SCENARIOS = new Set(['ramp', 'breakpoint', 'concurrency']);

/** 3 significant digits without trailing zeros: 5.75, 10.5, 13 */
const compact = (v: number): string => (Math.abs(v) >= 1000 ? v.toFixed(0) : String(Number(v.toPrecision(3))));

export const loadWords = (l: StageLoad | null): string =>
  l === null
    ? 'an unknown load'
    : l.unit === 'rps'
      ? `${compact(l.value)} requests/s`
      : `${compact(l.value)} concurrent requests`;

/** "ITL p95 103.7 ms against < 100 ms, broken by 3.7 %" */
export function breachWords(r: SloRow): string {
  const at = r.text.indexOf(': ');
  const what = at >= 0 ? r.text.slice(`${r.stage} ${r.class} `.length, at) : r.text;
  const after = at >= 0 ? r.text.slice(at + 2) : '';
  return r.class !== null ? `${r.class} ${what}: ${after}` : `${what}: ${after}`;
}

/** Failed rows of a stage, the worst first: latency bounds by margin, then rates, then sample-count guards. */
export function brokenAt(rows: readonly SloRow[], stage: string): SloRow[] {
  const order = { delivery: 0, bound: 1, 'error-rate': 2, goodput: 3, guard: 4 } as const;
  return rows
    .filter((r) => r.stage === stage && r.status === 'fail')
    .sort((a, b) => order[a.kind] - order[b.kind] || (b.margin ?? 0) - (a.margin ?? 0));
}

function highestPassingOf(summary: RunSummary): StageLoad | null {
  const slo = summary.slo as (RunSummary['slo'] & { highestPassingConcurrency?: unknown }) | undefined;
  if (typeof slo?.highestPassingRps === 'number') return { value: slo.highestPassingRps, unit: 'rps' };
  if (typeof slo?.highestPassingConcurrency === 'number') return { value: slo.highestPassingConcurrency, unit: 'VUs' };
  return null;
}

function searchAnswer(summary: RunSummary, rows: readonly SloRow[]): Answer {
  const verdicts = stageVerdicts(summary);
  const judged = [...verdicts].filter(([, v]) => v !== 'not judged');
  const loadOf = (stage: string): StageLoad | null => stageLoad(summary.stages?.find((s) => s.stage === stage));
  const firstFail = judged.find(([, v]) => v === 'fail')?.[0] ?? null;
  const passed = judged.filter(
    ([s, v]) =>
      v === 'pass' &&
      (firstFail === null || judged.findIndex(([x]) => x === s) < judged.findIndex(([x]) => x === firstFail)),
  );
  const lastPass = passed[passed.length - 1]?.[0] ?? null;
  const fromSummary = highestPassingOf(summary);
  const highest = fromSummary ?? (lastPass !== null ? loadOf(lastPass) : null);
  const highestStage = lastPass ?? null;
  const failLoad = firstFail !== null ? loadOf(firstFail) : null;
  const broken = firstFail !== null ? brokenAt(rows, firstFail) : [];
  const generator = generatorReasonsByStage(summary);
  const stagesUpTo = judged
    .slice(0, firstFail === null ? judged.length : judged.findIndex(([s]) => s === firstFail) + 1)
    .map(([s]) => s);
  const behindEarly = stagesUpTo.filter((s) => s !== firstFail && (generator.get(s)?.length ?? 0) > 0);
  const behindAtFail = firstFail !== null ? (generator.get(firstFail) ?? []) : [];
  const valid = summary.validity?.valid !== false;
  const sloName = sloNameWords(summary);
  const unitWord = (highest ?? failLoad)?.unit === 'VUs' ? 'concurrency' : 'rate';

  const parts: string[] = [];
  let limit: Answer['limit'];
  if (firstFail !== null) {
    const worst = broken[0];
    const how =
      worst !== undefined
        ? ` (${firstFail}: ${breachWords(worst)}${broken.length > 1 ? `; ${broken.length - 1} more bound${broken.length > 2 ? 's' : ''} broken` : ''})`
        : ` (${firstFail})`;
    if (highest !== null)
      parts.push(
        `The target sustains ${loadWords(highest)} inside the SLO${sloName} and breaks at ${loadWords(failLoad)}${how}.`,
      );
    else parts.push(`No step passed: the SLO${sloName} broke already at ${loadWords(failLoad)}${how}.`);
    if (behindEarly.length > 0) {
      limit = 'generator';
      parts.push(
        `The load generator was the limit: it fell behind at ${behindEarly.join(', ')} before any bound broke (${generator.get(behindEarly[0]!)?.[0] ?? 'see validity'}), so the result is not evidence about the target.`,
      );
    } else if (behindAtFail.length > 0) {
      limit = 'target';
      parts.push(
        `The target was the limit; at ${firstFail} the load generator also fell behind (${behindAtFail[0]}), typically because slow responses held every VU: that step got less load than planned, and a breach under less load is still a breach.`,
      );
    } else {
      limit = 'target';
      parts.push(
        valid
          ? 'The target, not the load generator, was the limit: every step up to the breach was delivered as planned.'
          : `The target was the limit; the run is marked invalid (${summary.validity?.reasons[0] ?? 'see validity'}).`,
      );
    }
  } else if (judged.length > 0 && judged.every(([, v]) => v === 'pass')) {
    const top = loadOf(judged[judged.length - 1]![0]);
    parts.push(
      `Every step passed the SLO${sloName}: the target sustains at least ${loadWords(highest ?? top)}; the ${summary.scenario ?? 'search'} did not reach its limit (${raiseAdvice((highest ?? top)?.unit)}).`,
    );
    limit = valid ? 'none' : 'generator';
    if (!valid)
      parts.push(
        `But the load generator was the limit: ${summary.validity?.reasons[0] ?? 'the run is invalid'}; the results are not evidence.`,
      );
  } else {
    parts.push(
      `No step gave a verdict${highest !== null ? `; highest passing ${unitWord} ${loadWords(highest)}` : ''}.`,
    );
    limit = valid ? 'none' : 'generator';
    if (!valid)
      parts.push(`The load generator was the limit: ${summary.validity?.reasons[0] ?? 'the run is invalid'}.`);
  }

  const cause = firstFail !== null ? serverCause(summary, firstFail, lastPass) : null;
  if (cause !== null) parts.push(cause.sentence);
  const facts: AnswerFact[] = [
    {
      label: `highest passing ${unitWord}`,
      value: highest === null ? 'none' : loadWords(highest),
      tone: highest === null ? 'fail' : 'ok',
    },
    {
      label: 'first failing step',
      value: firstFail === null ? 'none' : `${firstFail} at ${loadWords(failLoad)}`,
      ...(firstFail !== null ? { tone: 'fail' as const } : {}),
    },
  ];
  if (broken.length > 0)
    facts.push({
      label: 'broken',
      value: broken
        .slice(0, 3)
        .map((r) => shortBreach(r))
        .join('; '),
      tone: 'fail',
    });
  if (cause !== null)
    facts.push({ label: 'server side', value: cause.short, tone: cause.kind === 'none' ? 'warn' : 'fail' });
  facts.push({
    label: 'limit',
    value: limit === 'target' ? 'the target' : limit === 'generator' ? 'the load generator' : 'not reached',
    tone: limit === 'generator' ? 'warn' : limit === 'target' ? 'ok' : 'warn',
  });
  return {
    kind: 'search',
    sentence: parts.join(' '),
    facts,
    highestPassing: highest === null ? null : { ...highest, stage: highestStage },
    firstFailing: firstFail === null || failLoad === null ? null : { ...failLoad, stage: firstFail },
    limit,
  };
}

/** "llm ITL p95 +3.7 %" */
function shortBreach(r: SloRow): string {
  const { base } = r;
  const name =
    r.kind === 'bound'
      ? `${metricLabel(base)} ${r.aggregate.replace(/^p\((\d+)\)$/, 'p$1')}`
      : r.kind === 'guard'
        ? 'too few samples'
        : r.kind === 'delivery'
          ? 'concurrency above MAX_VUS'
          : r.kind;
  const by =
    r.margin === null
      ? ''
      : r.kind === 'bound'
        ? ` +${(r.margin * 100).toFixed(1)} %`
        : r.kind === 'guard'
          ? ''
          : ` +${(r.margin * 100).toFixed(2)} pp`;
  return `${r.class ?? ''} ${name}${by}`.trim();
}

/** How close a row came to its limit, comparable across kinds: >0 broken, <0 inside (relative to the limit). */
const closeness = (r: SloRow): number =>
  r.margin === null
    ? Number.NEGATIVE_INFINITY
    : r.kind === 'bound' || r.limit === null || r.limit === 0
      ? r.margin
      : r.margin / r.limit;

/** The row's words without the stage (one-stage runs) and without the trailing "held". */
function marginWords(r: SloRow, withStage: boolean): string {
  const text = withStage ? r.text : r.text.slice((r.stage ?? '').length + 1);
  return text.replace(/, held(?=,|$)/, '');
}

/** " the SLO interactive-chat (TTFT p95 < 500 ms, ...)" after Passed/Failed; '' when the summary names none. */
const steadySloWords = (summary: RunSummary | undefined): string => {
  const words = sloNameWords(summary);
  return words === '' ? '' : ` the SLO${words}`;
};

function steadyAnswer(summary: RunSummary | undefined, rows: readonly SloRow[]): Answer {
  const judgedRows = rows.filter((r) => r.status === 'pass' || r.status === 'fail');
  const classes = [...new Set(judgedRows.map((r) => r.class ?? 'all'))];
  const valid = summary?.validity?.valid !== false;
  const manyStages = new Set(judgedRows.map((r) => r.stage)).size > 1;
  const facts: AnswerFact[] = [];
  const phrases: string[] = [];
  let anyFail = false;
  for (const cls of classes) {
    const mine = judgedRows.filter((r) => (r.class ?? 'all') === cls);
    const failed = mine.filter((r) => r.status === 'fail');
    anyFail ||= failed.length > 0;
    // a failed class is described by a failed row (a held bound can have a larger margin than a failure without one)
    const worst = [...(failed.length > 0 ? failed : mine)]
      .filter((r) => r.kind !== 'guard' || r.status === 'fail')
      .sort((a, b) => closeness(b) - closeness(a))[0];
    const words = worst === undefined ? '' : marginWords(worst, manyStages).replace(new RegExp(`^${cls} `), '');
    phrases.push(
      failed.length > 0
        ? `${cls === 'all' ? '' : `${cls} `}${words} (${failed.length} bound${failed.length > 1 ? 's' : ''} broken)`
        : `${cls === 'all' ? 'every bound held' : `${cls} held every bound`}${worst !== undefined ? `, closest ${words}` : ''}`,
    );
    facts.push({
      label: cls === 'all' ? 'SLO' : `${cls} SLO`,
      value: failed.length > 0 ? `fail (${failed.length} broken)` : 'pass',
      tone: failed.length > 0 ? 'fail' : 'ok',
    });
    if (worst !== undefined)
      facts.push({
        label: `${cls === 'all' ? '' : `${cls} `}${failed.length > 0 ? 'worst breach' : 'closest to a limit'}`,
        value: words,
        tone: worst.status === 'fail' ? 'fail' : 'ok',
      });
  }
  const judged = (summary?.stages ?? []).filter((s) => s.judged);
  const requests = judged.reduce((a, s) => a + s.requests, 0);
  let sentence: string;
  if (classes.length === 0)
    sentence = `No SLO was set for this run: ${requests} requests measured${judged.length === 1 && judged[0]!.offeredRps !== undefined ? ` at ${formatNumber(judged[0]!.offeredRps)} requests/s offered` : ''}.`;
  else sentence = `${anyFail ? 'Failed' : 'Passed'}${steadySloWords(summary)}: ${phrases.join('; ')}.`;
  if (!valid)
    sentence += ` The run is invalid, the load generator was the limit (${summary?.validity?.reasons[0] ?? 'see validity'}): not evidence either way.`;
  const failedStage = judgedRows.find((r) => r.status === 'fail')?.stage;
  const cause = failedStage == null ? null : serverCause(summary, failedStage, null);
  if (cause !== null) sentence += ` ${cause.sentence}`;
  facts.push({ label: 'requests measured', value: String(requests) });
  if (!valid) facts.push({ label: 'validity', value: 'invalid: load not delivered', tone: 'warn' });
  return {
    kind: 'steady',
    sentence,
    facts,
    highestPassing: null,
    firstFailing: null,
    limit: anyFail ? 'target' : valid ? 'none' : 'generator',
  };
}

export function answerOf(summary: RunSummary | undefined, rows: readonly SloRow[]): Answer {
  const slo = summary?.slo as (RunSummary['slo'] & { highestPassingConcurrency?: unknown }) | undefined;
  const search =
    summary !== undefined &&
    (SEARCH_SCENARIOS.has(summary.scenario ?? '') ||
      slo?.highestPassingRps !== undefined ||
      slo?.highestPassingConcurrency !== undefined);
  return withGeneratorAnswer(search ? searchAnswer(summary, rows) : steadyAnswer(summary, rows), summary);
}
