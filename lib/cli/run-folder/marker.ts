// genload's own mark on the folders it creates: a `.genload` file written the
// moment a run folder (load, capacity and its steps, compare, k6-operator) is
// made. RUN, BASE, CAND and BASELINE count as genload's only when it is there,
// and RESULTS as a folder genload may write into when one of its folders carries
// it: a JSON file with a schemaVersion, which any tool may write, does not make a
// folder genload's (folders.ts).

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const MARKER_FILE = '.genload';
const MARKER_TEXT = 'genload';

/** Marks dir as genload's (idempotent); `what` says which folder it is, for a person reading the file. */
export function markGenloadFolder(dir: string, what: 'run folder'): void {
  const path = join(dir, MARKER_FILE);
  if (!existsSync(path))
    writeFileSync(path, `${MARKER_TEXT} ${what}: created by genload; its commands read it as theirs\n`);
}

/** true when dir carries genload's marker */
export function hasGenloadMarker(dir: string): boolean {
  try {
    return readFileSync(join(dir, MARKER_FILE), 'utf8').startsWith(`${MARKER_TEXT} `);
  } catch {
    return false;
  }
}
