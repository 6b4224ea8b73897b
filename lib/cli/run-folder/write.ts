// Run folders: results/<UTC timestamp>-<scenario>[-<name>]/. A folder is created
// exclusively (never reused, never overwritten: a clash gets a -2, -3 suffix),
// and files inside are written atomically (temp file + rename), so a crash never
// leaves a half-written file. This module is the one place the CLI writes run files.

import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { markGenloadFolder } from './marker.ts';

export interface RunFolder {
  readonly runId: string;
  readonly runDir: string;
}

/** 2026-11-22T05:30:35.123Z -> 20261122T053035Z */
export function timestampId(now: Date): string {
  return now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

const SAFE_SEGMENT = /^[a-z0-9][a-z0-9._-]{0,39}$/;

export function createRunFolder(
  resultsDir: string,
  scenario: string,
  runName: string | undefined,
  now: Date,
): RunFolder {
  for (const [field, value] of [
    ['scenario', scenario],
    ['name', runName],
  ] as const) {
    if (value !== undefined && (!SAFE_SEGMENT.test(value) || value.includes('..'))) {
      throw new Error(`run folder ${field}: must be 1-40 characters of a-z, 0-9, ".", "_" or "-", but is '${value}'`);
    }
  }
  const root = resolve(resultsDir);
  mkdirSync(root, { recursive: true });
  const base = [timestampId(now), scenario, runName].filter((s) => s !== undefined).join('-');
  for (let attempt = 1; attempt <= 100; attempt++) {
    const runId = attempt === 1 ? base : `${base}-${attempt}`;
    const runDir = join(root, runId);
    const rel = relative(root, runDir);
    if (rel.startsWith('..') || rel.includes(sep))
      throw new Error(`run folder: must stay inside ${root}, but resolves to ${runDir}`);
    try {
      mkdirSync(runDir);
      markGenloadFolder(runDir, 'run folder');
      return { runId, runDir };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  throw new Error(`run folder: 100 folders named ${base}* already exist in ${root}`);
}

/** Write a file so readers see either nothing or the whole content. */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}
