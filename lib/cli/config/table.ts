// Resolves one table of knobs (knobs.ts) in layers, lowest first: each knob's
// default, its default for the scenario, the environment (GENLOAD_<VAR>), then
// the flags (Make variables arrive as flags, lib/cli/config/make-vars.ts). Every
// value is its row's parser's output, so the result is typed from the table with
// no cast: a table's value types are inferred from its rows. Pure.

import { isScenarioName } from '../../shared/scenarios.ts';
import type { Knob, ValuesOf } from './knobs.ts';

export type Source = 'default' | 'scenario' | 'env' | 'flag';

export interface LayerInputs {
  /** values from flags (Make variables), keyed by flag name, e.g. { rate: '5', 'max-rate': '9' } */
  readonly flags: Readonly<Record<string, string | undefined>>;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** the scenario whose defaults apply, once known to exist */
  readonly scenario: string | undefined;
}

/** A table whose row K parses to V[K]. */
export type Table<V> = { readonly [K in keyof V]: Knob<V[K]> };

/** The knobs of a table that hold a value whatever is given: those with a default. */
export type DefaultedKey<T> = { [K in keyof T]: T[K] extends { readonly default: unknown } ? K : never }[keyof T];

/** A table's resolved values: each knob what its parser returns; knobs with a default always hold one. */
export type TableValues<T> = { readonly [K in keyof T]?: ValuesOf<T>[K] } & {
  readonly [K in DefaultedKey<T>]-?: ValuesOf<T>[K];
};

export interface Resolved<V> {
  readonly values: { readonly [K in keyof V]?: V[K] };
  /** where each value came from */
  readonly sources: { readonly [K in keyof V]?: Source };
  /** the text each value was parsed from, when one was given (for display: `genload config`) */
  readonly texts: { readonly [K in keyof V]?: string };
  /** one per broken rule, naming the variable, the rule and the value */
  readonly problems: string[];
}

export function resolveTable<V>(table: Table<V>, inputs: LayerInputs): Resolved<V> {
  const values: { -readonly [K in keyof V]?: V[K] } = {};
  const sources: { -readonly [K in keyof V]?: Source } = {};
  const texts: { -readonly [K in keyof V]?: string } = {};
  const problems: string[] = [];
  const scenario = inputs.scenario !== undefined && isScenarioName(inputs.scenario) ? inputs.scenario : undefined;

  const one = <K extends keyof V>(key: K): void => {
    const row = table[key];
    if (row.default !== undefined) set(key, row.default, 'default');
    const own = scenario === undefined ? undefined : row.byScenario?.[scenario];
    if (own !== undefined) set(key, own, 'scenario');
    for (const [origin, label, given] of [
      ['env', row.env, inputs.env[row.env]],
      ['flag', row.makeVar, inputs.flags[row.flag]],
    ] as const) {
      if (given === undefined || given === '') continue;
      const parsed = row.parse(given, label);
      if ('value' in parsed) {
        set(key, parsed.value, origin);
        texts[key] = given;
      } else if ('rule' in parsed) problems.push(`${label}: ${parsed.rule}, but is '${given}'`);
      else problems.push(...parsed.problems);
    }
  };
  const set = <K extends keyof V>(key: K, value: V[K], origin: Source): void => {
    values[key] = value;
    sources[key] = origin;
  };
  for (const key in table) one(key);
  return { values: Object.freeze(values), sources: Object.freeze(sources), texts: Object.freeze(texts), problems };
}

/** Narrows resolved values to the table's type once every knob with a default is checked to hold a value. */
export function isComplete<T extends Table<ValuesOf<T>>>(
  table: T,
  values: { readonly [K in keyof T]?: ValuesOf<T>[K] },
): values is TableValues<T> {
  for (const key in table) if (table[key].default !== undefined && values[key] === undefined) return false;
  return true;
}
