// One progress line for a llama-cpp-python install that is running, read from
// its install.log: how long it has run, which step it is in (the `== <step>`
// lines provision.ts writes), ninja's [done/total] count while llama.cpp
// compiles, and what the log said last (the source file being compiled).

import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { STEP_MARK } from './provision.ts';

/** the last 8 MB of a file (a whole install.log is ~1 MB) ('' when it does not exist yet) */
export function readTail(path: string, bytes = 8 * 1024 * 1024): string {
  let fd: number | undefined;
  try {
    const size = statSync(path).size;
    const length = Math.min(size, bytes);
    const buf = Buffer.alloc(length);
    fd = openSync(path, 'r');
    readSync(fd, buf, 0, length, size - length);
    return buf.toString('utf8');
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

export interface Progress {
  step: string | undefined;
  /** ninja's [done/total] of the last compile line, when the step is compiling */
  done?: number;
  total?: number;
  /** the last thing the log said, shortened: a compiled source path or the last line */
  last: string | undefined;
}

/** A compile command's source file, relative to the vendored llama.cpp when it is there. */
function sourceOf(line: string): string | undefined {
  const m = / -c (\S+)/.exec(line);
  if (!m) return undefined;
  const src = m[1]!;
  const i = src.indexOf('/llama.cpp/');
  return i >= 0 ? src.slice(i + '/llama.cpp/'.length) : src;
}

/** The progress a log tail shows; the step is the last `== ` line, the count the last `[n/m]` after it. */
export function parseProgress(tail: string): Progress {
  const lines = tail.split('\n').filter((l) => l.trim() !== '');
  let stepAt = -1;
  for (let i = lines.length - 1; i >= 0; i--)
    if (lines[i]!.startsWith(STEP_MARK)) {
      stepAt = i;
      break;
    }
  const step = stepAt >= 0 ? lines[stepAt]!.slice(STEP_MARK.length) : undefined;
  const p: Progress = { step, last: undefined };
  for (let i = lines.length - 1; i > stepAt; i--) {
    const m = /^\s*\[(\d+)\/(\d+)\]\s/.exec(lines[i]!);
    if (m) {
      p.done = Number(m[1]);
      p.total = Number(m[2]);
      break;
    }
  }
  const lastLine = lines.length > stepAt + 1 ? lines[lines.length - 1]!.trim() : undefined;
  if (lastLine !== undefined) {
    const src = sourceOf(lastLine);
    const short = src ? `compiling ${src}` : lastLine;
    p.last = short.length > 100 ? `${short.slice(0, 97)}...` : short;
  }
  return p;
}

export function progressLine(elapsedMs: number, p: Progress): string {
  const parts = [formatElapsed(elapsedMs), p.step ?? 'starting'];
  if (p.done !== undefined && p.total !== undefined)
    parts.push(`ninja ${p.done}/${p.total} (${Math.round((100 * p.done) / p.total)} %)`);
  if (p.last) parts.push(`last: ${p.last}`);
  return parts.join(' | ');
}
