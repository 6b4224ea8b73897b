// Which folders genload reads runs from and writes into. RUN, BASE, CAND and
// BASELINE must be run folders genload wrote (report writes report.html and
// friends into RUN); RESULTS must be a folder genload can own: one that does not
// exist yet, an empty one, the checkout's results/, or one already holding
// genload's output. Anything else (/etc, $HOME, a source folder) is refused with
// the variable, the rule and the value, before anything is written.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { hasGenloadMarker, MARKER_FILE } from '../run-folder/marker.ts';

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** RUN-like variables: a run folder genload wrote (it carries genload's marker, lib/cli/run-folder/marker.ts) */
export function runDirProblem(variable: string, dir: string): string | undefined {
  const rule = `must be a run folder written by genload (holding its ${MARKER_FILE} marker)`;
  if (!existsSync(dir)) return `${variable}: ${rule}, but '${dir}' does not exist`;
  if (!isDir(dir)) return `${variable}: ${rule}, but '${dir}' is not a folder`;
  if (!hasGenloadMarker(dir)) return `${variable}: ${rule}, but '${dir}' has none`;
  return undefined;
}

/** RESULTS: a folder genload may create run folders and index files in */
export function resultsDirProblem(dir: string, defaultDir: string): string | undefined {
  const rule = `must be a results folder genload can own (not there yet, empty, or holding run folders with genload's ${MARKER_FILE} marker)`;
  if (!existsSync(dir)) return undefined;
  if (!isDir(dir)) return `RESULTS: ${rule}, but '${dir}' is a file`;
  if (resolve(dir) === resolve(defaultDir)) return undefined;
  const entries = readdirSync(dir);
  if (entries.length === 0) return undefined;
  const ours = entries.some((e) => isDir(join(dir, e)) && hasGenloadMarker(join(dir, e)));
  return ours
    ? undefined
    : `RESULTS: ${rule}, but '${dir}' holds other files (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', ...' : ''})`;
}
