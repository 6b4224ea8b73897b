// Where built k6 binaries live and what names them. The key changes when a pin
// or any byte of the extension's Go sources changes, and only then, so a second
// set-up or CI run reuses the binary instead of spending minutes rebuilding.

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { K6Pins } from './pins.ts';

/** Cache root outside the clone: $GENLOAD_CACHE, else $XDG_CACHE_HOME/genload, else ~/.cache/genload. */
export function cacheRoot(env: NodeJS.ProcessEnv, home: string = homedir()): string {
  if (env['GENLOAD_CACHE']) return env['GENLOAD_CACHE'];
  if (env['XDG_CACHE_HOME']) return join(env['XDG_CACHE_HOME'], 'genload');
  return join(home, '.cache', 'genload');
}

/**
 * Files that end up in the binary: go.mod, go.sum and every non-test *.go file
 * of the extension folder and its package folders (see sourceFiles).
 * Tests and docs are left out so editing them does not force a rebuild.
 */
export function isExtensionSource(fileName: string): boolean {
  if (fileName === 'go.mod' || fileName === 'go.sum') return true;
  return fileName.endsWith('.go') && !fileName.endsWith('_test.go');
}

/** A sha256 over the sorted source names and contents; each entry is length-prefixed so no two file sets collide by concatenation. */
export function hashSources(files: ReadonlyArray<{ name: string; content: Buffer | string }>): string {
  const hash = createHash('sha256');
  for (const f of [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const content = typeof f.content === 'string' ? Buffer.from(f.content) : f.content;
    hash.update(`${f.name}\0${content.length}\0`);
    hash.update(content);
  }
  return hash.digest('hex');
}

/**
 * Go skips folders named testdata or starting with "." or "_" when it lists a
 * module's packages, so they never reach the binary.
 */
function isPackageFolder(name: string): boolean {
  return name !== 'testdata' && !name.startsWith('.') && !name.startsWith('_');
}

/**
 * The source files under dir, as "/"-separated paths relative to it: the
 * extension's root package and its sub-packages (sse/, genload/, internal/...)
 * all end up in the binary. A file at the top keeps its bare name, so a flat
 * module hashes as it did before sub-packages.
 */
function sourceFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const d of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix === '' ? d.name : `${prefix}/${d.name}`;
    if (d.isDirectory() && isPackageFolder(d.name)) out.push(...sourceFiles(dir, rel));
    else if (d.isFile() && isExtensionSource(d.name)) out.push(rel);
  }
  return out;
}

export function hashExtensionDir(dir: string): string {
  const names = sourceFiles(dir);
  if (!names.includes('go.mod')) throw new Error(`extension folder ${dir} must contain go.mod, but it does not`);
  return hashSources(names.map((name) => ({ name, content: readFileSync(join(dir, name)) })));
}

/** e.g. "k6-v1.8.1_xk6-v1.4.11_sse-0123456789ab_linux-x64" */
export function cacheKey(
  pins: Pick<K6Pins, 'k6' | 'xk6' | 'extension'>,
  sourceHash: string,
  platform = `${process.platform}-${process.arch}`,
): string {
  const extName = pins.extension.imports[0]!.slice('k6/x/'.length).replace(/[^a-z0-9-]/gi, '-');
  return `k6-${pins.k6}_xk6-${pins.xk6}_${extName}-${sourceHash.slice(0, 12)}_${platform}`;
}
