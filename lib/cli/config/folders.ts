// Which folders genload reads runs from and writes into. RUN, BASE, CAND and
// BASELINE must be run folders genload wrote (report writes report.html and
// friends into RUN); RESULTS must be a folder genload can own: one that does not
// exist yet, an empty one, the checkout's results/, or one already holding
// genload's output. Anything else (/etc, $HOME, a source folder) is refused with
// the variable, the rule and the value, before anything is written.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** files genload writes at the top of a folder it created, by kind; config.json comes first, so a run killed with -9 still has it */
const RECORDS = ['run.json', 'capacity.json', 'compare.json', 'gate.json', 'config.json'] as const;

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** a JSON object with a numeric schemaVersion: the shape of every record genload writes */
function isGenloadRecord(path: string): boolean {
  try {
    const data = JSON.parse(readFileSync(path, 'utf8')) as { schemaVersion?: unknown };
    return data !== null && typeof data === 'object' && typeof data.schemaVersion === 'number';
  } catch {
    return false;
  }
}

/** the record that makes dir a genload folder, or undefined */
function recordOf(dir: string, names: readonly string[] = RECORDS): string | undefined {
  return names.find((n) => isGenloadRecord(join(dir, n)));
}

/** RUN-like variables: a run folder genload wrote (run.json, or capacity.json for a capacity search) */
export function runDirProblem(variable: string, dir: string): string | undefined {
  const rule = 'must be a run folder written by genload (holding run.json or capacity.json)';
  if (!existsSync(dir)) return `${variable}: ${rule}, but '${dir}' does not exist`;
  if (!isDir(dir)) return `${variable}: ${rule}, but '${dir}' is not a folder`;
  if (recordOf(dir, ['run.json', 'capacity.json']) === undefined)
    return `${variable}: ${rule}, but '${dir}' holds neither`;
  return undefined;
}

/** RESULTS: a folder genload may create run folders and index files in */
export function resultsDirProblem(dir: string, defaultDir: string): string | undefined {
  const rule =
    'must be a results folder genload can own (not there yet, empty, or already holding genload runs or index.json)';
  if (!existsSync(dir)) return undefined;
  if (!isDir(dir)) return `RESULTS: ${rule}, but '${dir}' is a file`;
  if (resolve(dir) === resolve(defaultDir)) return undefined;
  const entries = readdirSync(dir);
  if (entries.length === 0 || isGenloadRecord(join(dir, 'index.json'))) return undefined;
  const ours = entries.some(
    (e) =>
      isDir(join(dir, e)) && (recordOf(join(dir, e)) !== undefined || existsSync(join(dir, e, 'k6-operator.yaml'))),
  );
  return ours
    ? undefined
    : `RESULTS: ${rule}, but '${dir}' holds other files (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', ...' : ''})`;
}
