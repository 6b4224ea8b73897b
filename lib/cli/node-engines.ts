// Which Node versions genload supports, and whether a version meets an npm
// `engines.node` range. The range in package.json is the one source of truth:
// the CLI checks the running Node against it at start-up, and a test checks
// that no package in package-lock.json asks for more than its lowest version.
// The range grammar is npm's (>=, >, <=, <, =, ^, ~, x-ranges, "a - b", ||), no prereleases.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths.ts';

type Version = [number, number, number];

/** package.json engines.node, e.g. ">=20.19" */
export function requiredNodeRange(): string {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { engines?: { node?: string } };
  return pkg.engines?.node ?? '*';
}

/** "20.19" -> { v: [20, 19, 0], parts: 2 }; x and * parts end the version */
function parsePartial(text: string): { v: Version; parts: number } | undefined {
  const m = /^v?(\d+|x|\*)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?$/i.exec(text.trim());
  if (m === null) return undefined;
  const nums: number[] = [];
  for (const p of [m[1], m[2], m[3]]) {
    if (p === undefined || /^[x*]$/i.test(p)) break;
    nums.push(Number(p));
  }
  return { v: [nums[0] ?? 0, nums[1] ?? 0, nums[2] ?? 0], parts: nums.length };
}

const cmp = (a: Version, b: Version): number => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
/** the first version above every version matching the partial: 20 -> 21.0.0, 20.19 -> 20.20.0 */
const above = (v: Version, parts: number): Version =>
  parts <= 1 ? [v[0] + 1, 0, 0] : parts === 2 ? [v[0], v[1] + 1, 0] : [v[0], v[1], v[2] + 1];

/** one comparator as [lowest allowed (inclusive), first refused (exclusive)] */
function bounds(comp: string): [Version, Version | undefined] | undefined {
  const m = /^(>=|<=|>|<|=|\^|~)?(.*)$/.exec(comp);
  const op = m?.[1] ?? '';
  const p = parsePartial(m?.[2] ?? '');
  if (p === undefined) return undefined;
  const { v, parts } = p;
  const zero: Version = [0, 0, 0];
  switch (op) {
    case '>=':
      return [v, undefined];
    case '>':
      return [parts === 3 ? [v[0], v[1], v[2] + 1] : above(v, parts), undefined];
    case '<':
      return [zero, v];
    case '<=':
      return [zero, above(v, parts === 0 ? 1 : parts)];
    case '^': {
      const hi: Version =
        v[0] > 0 || parts <= 1 ? [v[0] + 1, 0, 0] : v[1] > 0 || parts === 2 ? [0, v[1] + 1, 0] : [0, 0, v[2] + 1];
      return [v, hi];
    }
    case '~':
      return [v, parts <= 1 ? [v[0] + 1, 0, 0] : [v[0], v[1] + 1, 0]];
    default:
      return parts === 0 ? [zero, undefined] : [v, above(v, parts)];
  }
}

/** true when version (e.g. "20.19.0") is inside the npm range; an unreadable range is false */
export function satisfies(version: string, range: string): boolean {
  const v = parsePartial(version)?.v;
  if (v === undefined) return false;
  return range.split('||').some((alt) => {
    const text = alt.trim().replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1');
    const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(text);
    const comps = hyphen !== null ? [`>=${hyphen[1]}`, `<=${hyphen[2]}`] : text === '' ? ['*'] : text.split(/\s+/);
    return comps.every((c) => {
      const b = bounds(c);
      return b !== undefined && cmp(v, b[0]) >= 0 && (b[1] === undefined || cmp(v, b[1]) < 0);
    });
  });
}

/** the lowest version a ">=X.Y[.Z]" range admits, e.g. ">=20.19" -> "20.19.0" */
export function lowestOf(range: string): string | undefined {
  const m = /^>=\s*(\d+(?:\.\d+){0,2})$/.exec(range.trim());
  const p = m?.[1] === undefined ? undefined : parsePartial(m[1]);
  return p === undefined ? undefined : p.v.join('.');
}
