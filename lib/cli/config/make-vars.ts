// The channel from Make variables to the CLI. The Makefile never pastes a value
// into a recipe (a shell would re-read it: quotes, $(...), backquotes); it hands
// each variable that is set to the CLI's environment as GENLOAD_FLAG_<VAR>, the
// exact bytes given (Make's $(value ...), so $(shell ...) inside is not run).
// This module turns those back into flags: they rank as flags, so `make load
// RATE=5` still wins over a GENLOAD_RATE already in the environment, and a flag
// typed on the command line wins over both. Pure.

/** GENLOAD_FLAG_<VAR>: a Make variable forwarded with flag precedence (Makefile, `pass`). */
export const MAKE_VAR_PREFIX = 'GENLOAD_FLAG_';

/** RATE -> rate, MAX_RATE -> max-rate, PROMETHEUS_RW -> prometheus-rw */
export const flagOfMakeVar = (makeVar: string): string => makeVar.toLowerCase().replace(/_/g, '-');
export const makeVarOfFlag = (flag: string): string => flag.toUpperCase().replace(/-/g, '_');

export interface MakeVarFlags {
  /** flag name -> value, for every forwarded variable the CLI knows */
  flags: Record<string, string>;
  /** the environment names read (the caller removes them, so children never see them) */
  consumed: string[];
  /** forwarded variables no command of this CLI knows */
  problems: string[];
}

/**
 * Flags carried by GENLOAD_FLAG_<VAR> variables. An empty value counts as not
 * given (as an empty Make variable always did); a variable the CLI does not know
 * is a problem naming it and the known ones, not silently dropped.
 */
export function flagsFromMakeVars(
  env: Readonly<Record<string, string | undefined>>,
  knownFlags: readonly string[],
): MakeVarFlags {
  const known = new Set(knownFlags);
  const out: MakeVarFlags = { flags: {}, consumed: [], problems: [] };
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(MAKE_VAR_PREFIX) || value === undefined) continue;
    out.consumed.push(name);
    if (value === '') continue;
    const makeVar = name.slice(MAKE_VAR_PREFIX.length);
    const flag = flagOfMakeVar(makeVar);
    if (!known.has(flag) || makeVarOfFlag(flag) !== makeVar) {
      out.problems.push(
        `${makeVar}: must be a variable this genload knows (${[...known].map(makeVarOfFlag).sort().join(', ')}), but is set to '${value}'`,
      );
      continue;
    }
    out.flags[flag] = value;
  }
  return out;
}
