// TRACE=path: arrival times and token lengths of recorded requests, JSONL, one request a line.
// Columns accepted:
// - Mooncake: timestamp (ms), input_length, output_length, optional hash_ids (ints; one
//   per BLOCK_TOKENS-token block of the prompt, equal ids = equal block content)
// - Azure LLM inference trace: TIMESTAMP (ms number, or ISO date-time text; no zone = UTC),
//   ContextTokens, GeneratedTokens
// TRACE_SPEED=s scales time: atMs = (t - t0) / s, t0 the first row's time.

import { readFileSync } from 'node:fs';
import { shown, throwIfProblems, WorkloadInputError } from './errors.ts';

/** Mooncake's block size: each hash id stands for this many prompt tokens. */
export const BLOCK_TOKENS = 512;

export interface TraceRow {
  /** ms from the first row, divided by the speed */
  atMs: number;
  inputTokens: number;
  outputTokens: number;
  hashIds?: number[];
}

const isWhole = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1;

/** Reads a trace file; throws WorkloadInputError with every problem (line-numbered). */
export function readTrace(path: string, speed = 1): TraceRow[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new WorkloadInputError([
      `TRACE: must be a readable file, but ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    ]);
  }
  return parseTrace(text, speed, `TRACE ${path}`);
}

export function parseTrace(text: string, speed = 1, where = 'TRACE'): TraceRow[] {
  if (!(Number.isFinite(speed) && speed > 0))
    throw new WorkloadInputError([`TRACE_SPEED: must be a number > 0, but is ${shown(speed)}`]);
  const problems: string[] = [];
  const rows: TraceRow[] = [];
  let t0: number | undefined;
  let previous: { t: number; line: number } | undefined;
  text
    .replace(/^\uFEFF/, '')
    .split('\n')
    .forEach((raw, k) => {
      const line = raw.trim();
      if (line === '') return;
      const at = `${where}:${k + 1}`;
      let r: Record<string, unknown>;
      try {
        r = JSON.parse(line) as Record<string, unknown>;
      } catch (err) {
        problems.push(`${at}: must be a JSON object, but is not JSON (${(err as Error).message})`);
        return;
      }
      if (typeof r !== 'object' || r === null || Array.isArray(r)) {
        problems.push(`${at}: must be a JSON object, but is ${shown(r)}`);
        return;
      }
      const azure = 'TIMESTAMP' in r || 'ContextTokens' in r;
      const [tKey, inKey, outKey] = azure
        ? ['TIMESTAMP', 'ContextTokens', 'GeneratedTokens']
        : ['timestamp', 'input_length', 'output_length'];
      const before = problems.length;
      const t = timeMs(r[tKey]);
      if (t === undefined)
        problems.push(
          `${at}: ${tKey} must be ms (a number >= 0)${azure ? ' or an ISO date-time' : ''}, but is ${shown(r[tKey])}`,
        );
      if (!isWhole(r[inKey])) problems.push(`${at}: ${inKey} must be a whole number >= 1, but is ${shown(r[inKey])}`);
      if (!isWhole(r[outKey]))
        problems.push(`${at}: ${outKey} must be a whole number >= 1, but is ${shown(r[outKey])}`);
      const hashIds = r.hash_ids;
      if (hashIds !== undefined && !(Array.isArray(hashIds) && hashIds.every((h) => Number.isInteger(h))))
        problems.push(`${at}: hash_ids must be an array of integers, but is ${shown(hashIds)}`);
      if (t !== undefined) {
        if (previous !== undefined && t < previous.t)
          problems.push(
            `${at}: ${tKey} must not be earlier than the line before (rows in time order), but ${t} ms < ${previous.t} ms at line ${previous.line}`,
          );
        previous = { t, line: k + 1 };
      }
      if (problems.length > before || t === undefined) return;
      t0 ??= t;
      const row: TraceRow = {
        atMs: (t - t0) / speed,
        inputTokens: r[inKey] as number,
        outputTokens: r[outKey] as number,
      };
      if (Array.isArray(hashIds) && hashIds.length > 0) row.hashIds = hashIds as number[];
      rows.push(row);
    });
  throwIfProblems(problems);
  if (rows.length === 0)
    throw new WorkloadInputError([`${where}: must hold at least one request, but the file is empty`]);
  return rows;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/** ms from a number (ms) or an ISO date-time (Azure writes 7 fraction digits and no zone: UTC). */
export function timeMs(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = ISO.exec(v.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const fraction = m[7] === undefined ? 0 : Number(`0.${m[7]}`) * 1000;
  let offsetMin = 0;
  if (m[8] !== undefined && m[8] !== 'Z') {
    const sign = m[8].startsWith('-') ? -1 : 1;
    const digits = m[8].slice(1).replace(':', '');
    offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
  }
  const ms = Date.UTC(y, mo - 1, d, h, mi, s) + fraction - offsetMin * 60_000;
  return Number.isFinite(ms) ? ms : undefined;
}
