// Turns the three text sources (JSON file, environment, argv) into partial
// config objects. Every leaf of the defaults object has one flag and one
// environment name derived from its path:
//   sim.stepMs -> flag --sim.step-ms, env GENLOAD_SERVER_SIM_STEP_MS
// Values from env and flags are strings; they are converted by the kind of the
// default value (number, string, list). A value that does not convert is kept
// as the raw string so the schema reports it with the field's rule.
import { defaults } from './schema.ts';

export const envPrefix = 'GENLOAD_SERVER_';

type LeafKind = 'number' | 'boolean' | 'string' | 'number[]' | 'string[]';
export interface Leaf {
  readonly path: readonly string[];
  readonly kind: LeafKind;
  readonly flag: string;
  readonly env: string;
}

const kebab = (s: string): string => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const snake = (s: string): string => s.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();

function kindOf(value: unknown): LeafKind {
  if (Array.isArray(value)) return typeof value[0] === 'number' ? 'number[]' : 'string[]';
  return typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : 'string';
}

function collectLeaves(obj: Record<string, unknown>, prefix: string[]): Leaf[] {
  return Object.entries(obj).flatMap(([key, value]) => {
    const path = [...prefix, key];
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      return collectLeaves(value as Record<string, unknown>, path);
    }
    return [{ path, kind: kindOf(value), flag: path.map(kebab).join('.'), env: envPrefix + path.map(snake).join('_') }];
  });
}

export const leaves: readonly Leaf[] = collectLeaves(defaults as unknown as Record<string, unknown>, []);

function convert(kind: LeafKind, raw: string): unknown {
  const toNumber = (s: string): unknown => (s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : s);
  switch (kind) {
    case 'number':
      return toNumber(raw);
    case 'boolean':
      return raw === 'true' ? true : raw === 'false' ? false : raw;
    case 'string':
      return raw;
    case 'number[]':
      return raw === '' ? [] : raw.split(',').map((s) => toNumber(s.trim()));
    case 'string[]':
      return raw === '' ? [] : raw.split(',').map((s) => s.trim());
  }
}

export function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

export interface SourceResult {
  readonly values: Record<string, unknown>;
  readonly problems: string[];
  /** `--config <file>` when given on the command line */
  readonly configFile?: string;
}

/** GENLOAD_SERVER_* variables; an unknown one is a problem (a typo must not pass silently). */
export function fromEnv(env: Readonly<Record<string, string | undefined>>): SourceResult {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  let configFile: string | undefined;
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith(envPrefix) || raw === undefined) continue;
    if (name === `${envPrefix}CONFIG`) {
      configFile = raw;
      continue;
    }
    const leaf = leaves.find((l) => l.env === name);
    if (!leaf) problems.push(`env ${name}: unknown variable`);
    else setPath(values, leaf.path, convert(leaf.kind, raw));
  }
  return configFile === undefined ? { values, problems } : { values, problems, configFile };
}

/** `--name value` or `--name=value`; `--config file` names the JSON file. */
export function fromArgv(argv: readonly string[]): SourceResult {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  let configFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      problems.push(`argument ${JSON.stringify(arg)}: expected --name value`);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    let raw: string | undefined = eq >= 0 ? arg.slice(eq + 1) : argv[i + 1];
    if (eq < 0) i++;
    if (raw === undefined) {
      problems.push(`flag --${name}: missing value`);
      continue;
    }
    if (name === 'config') {
      configFile = raw;
      continue;
    }
    const leaf = leaves.find((l) => l.flag === name);
    if (!leaf) problems.push(`flag --${name}: unknown flag`);
    else setPath(values, leaf.path, convert(leaf.kind, raw));
  }
  return configFile === undefined ? { values, problems } : { values, problems, configFile };
}
