// The runtime boundaries, as data and one pure checker:
//   k6 side   (scenarios/, lib/k6/)          never imports Node modules, lib/server or lib/cli
//   Node side (lib/server/, lib/cli/)        never imports k6 or k6-side code
//   shared    (lib/shared/)                  imports neither side, neither runtime
// Unit tests (*.test.ts) run in Node, so they may import node:*, but never k6.
//   product code (scenarios/, lib/, tests beside it included) never imports build/:
//   build/ holds entry scripts and build tooling that import lib, never the reverse.

import { builtinModules } from 'node:module';

export type Side = 'k6' | 'node' | 'shared' | 'test' | 'other';

export interface Violation {
  file: string;
  specifier: string;
  rule: string;
}

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

export function sideOf(file: string): Side {
  if (file.endsWith('.test.ts')) return 'test';
  if (file.startsWith('scenarios/') || file.startsWith('lib/k6/')) return 'k6';
  if (file.startsWith('lib/server/') || file.startsWith('lib/cli/')) return 'node';
  if (file.startsWith('lib/shared/')) return 'shared';
  return 'other';
}

const IMPORT_RE =
  /(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;(=])import\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Module specifiers a TypeScript source imports, re-exports or requires (comments stripped). */
export function importsOf(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const found: string[] = [];
  for (const m of code.matchAll(IMPORT_RE)) {
    const spec = m[1] ?? m[2] ?? m[3] ?? m[4];
    if (spec !== undefined) found.push(spec);
  }
  return found;
}

export function resolveRelative(file: string, spec: string): string {
  const parts = file.split('/').slice(0, -1);
  for (const seg of spec.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.') parts.push(seg);
  }
  return parts.join('/');
}

/** True for a file under build/ (the folder holding entry scripts and build tooling). */
const isBuildPath = (path: string): boolean => path === 'build' || path.startsWith('build/');
const isProductPath = (file: string): boolean => file.startsWith('lib/') || file.startsWith('scenarios/');

const isK6Module = (spec: string): boolean => spec === 'k6' || spec.startsWith('k6/');
const isNodeModule = (spec: string): boolean => NODE_BUILTINS.has(spec) || spec.startsWith('node:');

/** Every boundary violation of one file (path relative to the repo root, '/'-separated). */
export function checkFile(file: string, source: string): Violation[] {
  const side = sideOf(file);
  const out: Violation[] = [];
  for (const spec of importsOf(source)) {
    const resolved = spec.startsWith('.') ? resolveRelative(file, spec) : undefined;
    const target = resolved === undefined ? undefined : sideOf(resolved);
    const bad = (rule: string): void => void out.push({ file, specifier: spec, rule });
    if (side === 'k6' || side === 'shared') {
      if (isNodeModule(spec)) bad(`${side}-side code must not import node modules`);
      if (target === 'node') bad(`${side}-side code must not import lib/server or lib/cli`);
    }
    if (side === 'node' || side === 'shared' || side === 'test') {
      if (isK6Module(spec))
        bad(`${side === 'test' ? 'unit tests run in node and' : `${side}-side code`} must not import k6 modules`);
    }
    if (side === 'node' && target === 'k6') bad('node-side code must not import k6-side code');
    if (side === 'shared' && target === 'k6') bad('shared code must not import k6-side code');
    if (isProductPath(file) && resolved !== undefined && isBuildPath(resolved))
      bad('lib/ and scenarios/ must not import build/ (build/ imports lib, never the reverse)');
  }
  return out;
}
