// Resolves the server config once at the edge: defaults < JSON file
// (--config or GENLOAD_SERVER_CONFIG) < environment (GENLOAD_SERVER_*) <
// flags. Every problem of every source is collected and thrown as one
// ConfigError; the result is deeply frozen.
import { readFileSync } from 'node:fs';
import { configSchema, defaults, type ServerConfig } from './schema.ts';
import { fromArgv, fromEnv } from './sources.ts';
import { isLoopbackHost } from '../../shared/loopback.ts';

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `invalid server config (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  - ${problems.join('\n  - ')}`,
    );
    this.name = 'ConfigError';
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Objects merge key by key; anything else (arrays too) replaces. */
export function deepMerge(base: Obj, over: Obj): Obj {
  const out: Obj = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prev = out[key];
    out[key] = isObj(prev) && isObj(value) ? deepMerge(prev, value) : value;
  }
  return out;
}

function valueAt(obj: unknown, path: readonly PropertyKey[]): unknown {
  let node = obj;
  for (const key of path) node = isObj(node) || Array.isArray(node) ? (node as Obj)[key as string] : undefined;
  return node;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

export interface LoadInput {
  readonly argv?: readonly string[];
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** reads the JSON file; injected by tests */
  readonly readFile?: (path: string) => string;
}

export function loadConfig(input: LoadInput = {}): Readonly<ServerConfig> {
  const flags = fromArgv(input.argv ?? []);
  const env = fromEnv(input.env ?? {});
  const problems = [...env.problems, ...flags.problems];
  let fileValues: Obj = {};
  const file = flags.configFile ?? env.configFile;
  if (file !== undefined) {
    try {
      const parsed: unknown = JSON.parse((input.readFile ?? ((p) => readFileSync(p, 'utf8')))(file));
      if (isObj(parsed)) fileValues = parsed;
      else problems.push(`config file ${file}: must hold a JSON object`);
    } catch (err) {
      problems.push(`config file ${file}: reading failed; reason: ${(err as Error).message}`);
    }
  }
  const merged = deepMerge(deepMerge(deepMerge(defaults as unknown as Obj, fileValues), env.values), flags.values);
  const result = configSchema.safeParse(merged);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const field = issue.path.join('.') || '(root)';
      const keys = issue.code === 'unrecognized_keys' ? ` ${issue.keys.join(', ')}` : '';
      const value = issue.code === 'unrecognized_keys' ? '' : `, but is ${JSON.stringify(valueAt(merged, issue.path))}`;
      problems.push(`${field}: ${issue.message.toLowerCase()}${keys}${value}`);
    }
  } else {
    if (result.data.sim.defaultSteps > result.data.sim.maxSteps) {
      problems.push(
        `sim.defaultSteps: must be <= sim.maxSteps (${result.data.sim.maxSteps}), but is ${result.data.sim.defaultSteps}`,
      );
    }
    if (!isLoopbackHost(result.data.host) && result.data.apiKey === '' && !result.data.allowUnauthenticatedRemote) {
      problems.push(
        `host: must be a loopback address (127.0.0.1, ::1, localhost) when no --api-key is set, but is ${JSON.stringify(result.data.host)}; set --api-key, or --allow-unauthenticated-remote true to serve the network without one`,
      );
    }
  }
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  return deepFreeze(result.data);
}

/** The config as printed at start: the API key is replaced by a marker. */
export function redactConfig(config: Readonly<ServerConfig>): ServerConfig {
  return { ...config, apiKey: config.apiKey === '' ? '' : '<redacted>' };
}
