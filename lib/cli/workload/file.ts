// workload.jsonl (the session contract): a header line, then one request a line.
// writeWorkloadFile streams: lines go out in chunks of about CHUNK_BYTES, so
// 100,000 requests never become one string; the SHA-256 is computed on the way.
// readWorkloadFile checks a previous run's file before it is reused (WORKLOAD_FILE).

import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { shown, throwIfProblems, WorkloadInputError } from './errors.ts';
import type { WorkloadItem } from './items.ts';
import { WORKLOAD_FORMAT, WORKLOAD_VERSION, type WorkloadHeader } from '../../shared/workload/contract.ts';
import { describeIssues, parseRecord } from '../run-folder/records.ts';
import { workloadHeaderSchema } from '../run-folder/workload-header.ts';

const CHUNK_BYTES = 1 << 20;

export { WORKLOAD_FORMAT, WORKLOAD_VERSION } from '../../shared/workload/contract.ts';
export type { WorkloadHeader, WorkloadPhase } from '../../shared/workload/contract.ts';

export interface WrittenWorkload {
  count: number;
  /** hex SHA-256 of the whole file */
  sha256: string;
  /** hex SHA-256 of the request lines only (after the header line): the same requests give the same hash under another header */
  requestsSha256: string;
  bytes: number;
}

export interface WriteOptions {
  /** the exact HTTP body for request i */
  bodyOf: (item: WorkloadItem, i: number) => string;
  /** fields added after `class`, e.g. {stream: true} for llm requests */
  fieldsOf?: (item: WorkloadItem, i: number) => Readonly<Record<string, unknown>>;
}

/** One request's line (no line end); field order as in the contract. */
export function workloadLine(item: WorkloadItem, i: number, options: WriteOptions): string {
  // fields in the contract's order (WorkloadLine, lib/shared/workload/contract.ts)
  const line: Record<string, unknown> = { i, class: item.class, ...options.fieldsOf?.(item, i) };
  if (item.class === 'llm') {
    line.inputTokens = item.inputTokens;
    line.outputTokens = item.outputTokens;
    if (item.conversation !== undefined) line.conversation = item.conversation;
    if (item.turn !== undefined) line.turn = item.turn;
    if (item.prefix !== undefined) line.prefix = item.prefix;
  } else {
    line.sizePx = item.sizePx;
    line.steps = item.steps;
  }
  if (item.atMs !== undefined) line.atMs = item.atMs;
  line.body = options.bodyOf(item, i);
  return JSON.stringify(line);
}

/**
 * Writes the file; `header.count` is checked against the items written (an
 * iterable, e.g. workloadItems(spec), is consumed once). Returns count, SHA-256 and size.
 */
export function writeWorkloadFile(
  path: string,
  header: Omit<WorkloadHeader, 'genload' | 'version'>,
  items: Iterable<WorkloadItem>,
  options: WriteOptions,
): WrittenWorkload {
  const hash = createHash('sha256');
  const requestsHash = createHash('sha256');
  const fd = openSync(path, 'w');
  let bytes = 0;
  let pending: string[] = [];
  let pendingChars = 0;
  let headerWritten = false;
  const flush = () => {
    const buf = Buffer.from(pending.join(''), 'utf8');
    hash.update(buf);
    if (headerWritten) requestsHash.update(buf);
    for (let off = 0; off < buf.length;) off += writeSync(fd, buf, off);
    bytes += buf.length;
    pending = [];
    pendingChars = 0;
  };
  const put = (line: string) => {
    pending.push(line, '\n');
    pendingChars += line.length + 1;
    if (pendingChars >= CHUNK_BYTES) flush();
  };
  let count = 0;
  try {
    const full: WorkloadHeader = { genload: WORKLOAD_FORMAT, version: WORKLOAD_VERSION, ...header };
    // the header the readers will check, checked before it is written (a mismatch is a bug: it throws)
    parseRecord(`workload file ${path} (header)`, workloadHeaderSchema, full);
    put(JSON.stringify(full));
    flush();
    headerWritten = true;
    for (const item of items) put(workloadLine(item, count++, options));
    flush();
  } finally {
    closeSync(fd);
  }
  if (count !== header.count)
    throw new Error(`workload file ${path}: the header says ${header.count} requests, but ${count} were written`);
  return { count, sha256: hash.digest('hex'), requestsSha256: requestsHash.digest('hex'), bytes };
}

export interface ReadWorkload extends WrittenWorkload {
  header: WorkloadHeader;
  /** a trace workload's last arrival, ms (the trace phase's length), read from its last line */
  lastAtMs?: number;
}

const isWhole = (v: unknown, min: number) => typeof v === 'number' && Number.isInteger(v) && v >= min;

/** Header problems (empty when the header is good): the header's schema, one line per field. */
function headerProblems(h: Record<string, unknown>, at: string): string[] {
  const parsed = workloadHeaderSchema.safeParse(h);
  return parsed.success ? [] : describeIssues(at, h, parsed.error);
}

function lineProblems(r: Record<string, unknown>, i: number, at: string, trace: boolean): string[] {
  const p: string[] = [];
  if (r.i !== i) p.push(`${at}: i must be ${i} (line number - 2), but is ${shown(r.i)}`);
  if (r.class !== 'llm' && r.class !== 'image') p.push(`${at}: class must be llm or image, but is ${shown(r.class)}`);
  if (typeof r.body !== 'string') p.push(`${at}: body must be a string, but is ${shown(r.body)}`);
  if (r.class === 'llm') {
    if (typeof r.stream !== 'boolean') p.push(`${at}: stream must be true or false, but is ${shown(r.stream)}`);
    for (const k of ['inputTokens', 'outputTokens'])
      if (!isWhole(r[k], 1)) p.push(`${at}: ${k} must be a whole number >= 1, but is ${shown(r[k])}`);
  }
  if (r.class === 'image')
    for (const k of ['sizePx', 'steps'])
      if (!isWhole(r[k], 1)) p.push(`${at}: ${k} must be a whole number >= 1, but is ${shown(r[k])}`);
  if (trace && !(typeof r.atMs === 'number' && r.atMs >= 0))
    p.push(`${at}: atMs must be a number >= 0 in a trace workload, but is ${shown(r.atMs)}`);
  return p;
}

/** Validates a workload file line by line; throws WorkloadInputError listing every problem (line-numbered). */
export function readWorkloadFile(path: string): ReadWorkload {
  const where = `WORKLOAD_FILE ${path}`;
  let size: number;
  try {
    size = statSync(path).size;
  } catch (err) {
    throw new WorkloadInputError([
      `${where}: must be a readable file, but ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    ]);
  }
  const problems: string[] = [];
  const hash = createHash('sha256');
  const requestsHash = createHash('sha256');
  let header: WorkloadHeader | undefined;
  let lastAtMs: number | undefined;
  let lineNo = 0;
  const onLine = (text: string, raw: Buffer) => {
    lineNo++;
    if (lineNo > 1) requestsHash.update(raw);
    const at = `${where}:${lineNo}`;
    let r: Record<string, unknown>;
    try {
      r = JSON.parse(text) as Record<string, unknown>;
      if (typeof r !== 'object' || r === null || Array.isArray(r)) throw new Error('not an object');
    } catch (err) {
      problems.push(`${at}: must be a JSON object, but is not (${(err as Error).message})`);
      return;
    }
    if (lineNo === 1) {
      const hp = headerProblems(r, `${at} (header)`);
      problems.push(...hp);
      if (hp.length === 0) header = workloadHeaderSchema.parse(r);
      return;
    }
    problems.push(...lineProblems(r, lineNo - 2, at, header?.trace === true));
    if (typeof r.atMs === 'number') lastAtMs = r.atMs;
  };
  forEachLine(path, hash, onLine, () =>
    problems.push(`${where}: must end every line with "\\n", but the last line has none`),
  );
  if (lineNo === 0) problems.push(`${where}: must start with a header line, but the file is empty`);
  else if (header !== undefined && lineNo - 1 !== header.count)
    problems.push(`${where}: must hold the header's count of ${header.count} requests, but holds ${lineNo - 1}`);
  throwIfProblems(problems);
  return {
    header: header as WorkloadHeader,
    ...(header?.trace === true && lastAtMs !== undefined ? { lastAtMs } : {}),
    count: lineNo - 1,
    sha256: hash.digest('hex'),
    requestsSha256: requestsHash.digest('hex'),
    bytes: size,
  };
}

/** Calls onLine for every line (text without, raw bytes with its "\n"), reading CHUNK_BYTES at a time (the file can be hundreds of MB). */
function forEachLine(
  path: string,
  hash: ReturnType<typeof createHash>,
  onLine: (text: string, raw: Buffer) => void,
  onUnterminated: () => void,
): void {
  const fd = openSync(path, 'r');
  const buf = Buffer.alloc(CHUNK_BYTES);
  let rest: Buffer = Buffer.alloc(0) as Buffer;
  try {
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) {
      const chunk = buf.subarray(0, n);
      hash.update(chunk);
      const data: Buffer = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
      let start = 0;
      for (let nl = data.indexOf(10, start); nl >= 0; nl = data.indexOf(10, start)) {
        onLine(data.toString('utf8', start, nl), data.subarray(start, nl + 1));
        start = nl + 1;
      }
      rest = Buffer.from(data.subarray(start));
    }
  } finally {
    closeSync(fd);
  }
  if (rest.length > 0) {
    onLine(rest.toString('utf8'), rest);
    onUnterminated();
  }
}
