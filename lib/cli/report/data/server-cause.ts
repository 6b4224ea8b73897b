// Why a step failed, in the target's own words: from the server blocks of
// summary.json (stages[].server, lib/shared/server-signals.ts), what crossed
// a limit or changed most at the first failing step, with figures, compared
// with the last step that passed:
//   memory     the KV cache full (≥ 95 %) or requests preempted;
//   queueing   requests waiting grew during the step (with the busy slots or
//              batch no larger than the step before: no room left);
//   compute    prefill or decode time per token rose ≥ 30 % without a queue.
// No signal recognised: one line saying so and why. Pure.

import {
  SIGNALS,
  type ServerSignalStats,
  type ServerStageBlock,
  type SignalId,
} from '../../../shared/server-signals.ts';
import type { RunSummary } from '../../run-folder/run-record.ts';

export interface ServerCause {
  /** the sentence's clause(s), ending with a full stop */
  sentence: string;
  /** short form for the answer's facts */
  short: string;
  kind: 'memory' | 'queueing' | 'compute' | 'unclear' | 'none';
}

const TIMES: readonly SignalId[] = [
  'decodeTimePerTokenMs',
  'prefillTimePerTokenMs',
  'prefillTimeMs',
  'decodeTimeMs',
  'queueTimeMs',
  'computeTimeMs',
];

/** 3 significant digits: 9, 28, 0.41, 1230 */
export const sig = (v: number): string => (Math.abs(v) >= 1000 ? v.toFixed(0) : String(Number(v.toPrecision(3))));

/** A value with its unit: "28 ms", "100 %", "34". */
export function valueWords(s: Pick<ServerSignalStats, 'unit'>, v: number): string {
  switch (s.unit) {
    case 'ms':
      return `${sig(v)} ms`;
    case 'ratio':
      return `${sig(v * 100)} %`;
    case 'per_s':
      return `${sig(v)}/s`;
    default:
      return sig(Math.round(v * 10) / 10);
  }
}

/** The block's signals of one label group: the group with the most signals (the model under load). */
function mainGroup(b: ServerStageBlock): Map<SignalId, ServerSignalStats> {
  const byGroup = new Map<string, ServerSignalStats[]>();
  for (const s of b.signals) byGroup.set(s.group, [...(byGroup.get(s.group) ?? []), s]);
  const busiest = [...byGroup.entries()].sort(
    (x, y) =>
      y[1].length - x[1].length ||
      (y[1].find((s) => s.signal === 'running')?.mean ?? 0) - (x[1].find((s) => s.signal === 'running')?.mean ?? 0),
  )[0];
  return new Map((busiest?.[1] ?? []).map((s) => [s.signal, s]));
}

/** Why a run has no signals, as one sentence. */
function noSignals(summary: RunSummary): ServerCause {
  const note = summary.serverSignals?.note ?? 'none were read';
  return { sentence: `No server signals to say why: ${note}.`, short: 'not exposed', kind: 'none' };
}

export function serverCause(
  summary: RunSummary | undefined,
  failStage: string,
  prevStage: string | null,
): ServerCause | null {
  if (summary?.serverSignals === undefined) return null; // a summary from before server signals were read
  const stageOf = (name: string | null) => summary.stages?.find((s) => s.stage === name);
  const failBlock = stageOf(failStage)?.server;
  if (summary.serverSignals.dialect === null || failBlock === undefined) return noSignals(summary);
  const fail = mainGroup(failBlock);
  const prevBlock = stageOf(prevStage)?.server;
  const prev = prevBlock === undefined ? new Map<SignalId, ServerSignalStats>() : mainGroup(prevBlock);
  const findings: string[] = [];
  const kinds = new Set<ServerCause['kind']>();

  const kv = fail.get('kvCacheUsage');
  const pre = fail.get('preemptions');
  const memory: string[] = [];
  if (kv !== undefined && kv.max >= 0.95) memory.push(`KV cache ${valueWords(kv, kv.max)}`);
  if (pre?.total !== undefined && pre.total > 0) memory.push(`${sig(pre.total)} preemptions`);
  if (memory.length > 0) {
    findings.push(memory.join(' and '));
    kinds.add('memory');
  }

  const waiting = fail.get('waiting');
  const busy = fail.get('busySlots') ?? fail.get('running');
  if (waiting !== undefined && waiting.max >= 1 && (waiting.change >= 1 || waiting.mean >= 1)) {
    const grew =
      waiting.change >= 1
        ? `requests waiting grew from ${sig(waiting.first)} to ${sig(waiting.last)} during the step`
        : `${sig(waiting.mean)} requests waiting on average`;
    const prevBusy = busy === undefined ? undefined : prev.get(busy.signal);
    const full =
      busy !== undefined && prevBusy !== undefined && busy.max <= prevBusy.max * 1.05 && busy.max > 0
        ? `${SIGNALS[busy.signal].words} at most ${sig(busy.max)}, no more than at ${prevStage}, and `
        : busy !== undefined && busy.max > 0
          ? `${SIGNALS[busy.signal].words} at most ${sig(busy.max)} and `
          : '';
    findings.push(`${full}${grew}`);
    kinds.add('queueing');
  }

  const rises = TIMES.flatMap((id) => {
    const a = prev.get(id);
    const b = fail.get(id);
    if (a === undefined || b === undefined || a.mean <= 0 || b.mean < a.mean * 1.3) return [];
    return [
      {
        id,
        ratio: b.mean / a.mean,
        text: `${SIGNALS[id].words} rose from ${valueWords(b, a.mean)} to ${valueWords(b, b.mean)}`,
      },
    ];
  }).sort((x, y) => y.ratio - x.ratio);
  findings.push(...rises.slice(0, 2).map((r) => r.text));
  if (rises.some((r) => r.id !== 'queueTimeMs') && !kinds.has('queueing') && !kinds.has('memory')) kinds.add('compute');

  const hit = fail.get('prefixCacheHitRate');
  const hitBefore = prev.get('prefixCacheHitRate');
  if (hit !== undefined && hitBefore !== undefined && hitBefore.mean - hit.mean >= 0.2)
    findings.push(`prefix cache hit rate fell from ${valueWords(hit, hitBefore.mean)} to ${valueWords(hit, hit.mean)}`);

  const kind: ServerCause['kind'] = kinds.has('memory')
    ? 'memory'
    : kinds.has('queueing')
      ? 'queueing'
      : kinds.has('compute')
        ? 'compute'
        : 'unclear';
  if (findings.length === 0) {
    const moved = mostMoved(fail, prev);
    findings.push(
      moved === undefined
        ? 'no signal crossed a limit or moved against the step before'
        : `no signal crossed a limit; the largest change was ${moved}`,
    );
  }
  const verdict =
    kind === 'memory'
      ? ': memory, not compute'
      : kind === 'queueing'
        ? ': requests queued'
        : kind === 'compute'
          ? ': compute per token'
          : '';
  return {
    sentence: `Why, from the target's own signals (${failBlock.dialect}) at ${failStage}: ${findings.join('; ')}${verdict}.`,
    short: `${findings[0]}${findings.length > 1 ? ` (+${findings.length - 1})` : ''}`,
    kind,
  };
}

/** The signal whose mean changed most (relative) against the step before, in words. */
function mostMoved(fail: Map<SignalId, ServerSignalStats>, prev: Map<SignalId, ServerSignalStats>): string | undefined {
  let best: { score: number; text: string } | undefined;
  for (const [id, b] of fail) {
    const a = prev.get(id);
    if (a === undefined) continue;
    const score = Math.abs(b.mean - a.mean) / Math.max(Math.abs(a.mean), b.unit === 'ratio' ? 0.05 : 1e-9);
    if (score > 0 && (best === undefined || score > best.score))
      best = { score, text: `${SIGNALS[id].words} from ${valueWords(b, a.mean)} to ${valueWords(b, b.mean)}` };
  }
  return best?.text;
}
