// The parsers of the configuration table (knobs.ts): each turns the text of a
// Make variable, flag or GENLOAD_* variable into its typed value, or returns the
// rule it broke (the resolver adds the variable's name and the value). Pure.

import { lengthDistProblem, parseTokenPairs, type LengthDist, type TokenPair } from '../workload/lengths.ts';
import { ConfigError } from '../errors.ts';
import { parseDurationSeconds, parseNumber } from './duration.ts';

/**
 * A knob's parser: the typed value, a rule text describing what was expected, or
 * whole problems when the parser names the variable itself (`label`: the Make or
 * environment variable being read).
 */
export type KnobParse<T> = (text: string, label: string) => { value: T } | { rule: string } | { problems: string[] };

export const positiveNumber: KnobParse<number> = (text) => {
  const n = parseNumber(text);
  return n !== undefined && n > 0 ? { value: n } : { rule: 'must be a number greater than 0' };
};

/** whole numbers from 1 to `max` (2^53-1 when not given) */
export const positiveInt =
  (max?: number): KnobParse<number> =>
  (text) => {
    const n = parseNumber(text);
    return n !== undefined && Number.isSafeInteger(n) && n > 0 && (max === undefined || n <= max)
      ? { value: n }
      : { rule: `must be a whole number from 1 to ${max ?? '2^53-1'}` };
  };

export const nonNegativeInt: KnobParse<number> = (text) => {
  const n = parseNumber(text);
  return n !== undefined && Number.isSafeInteger(n) && n >= 0 && n <= 4_294_967_295
    ? { value: n }
    : { rule: 'must be a whole number from 0 to 4294967295' };
};

/** a number in [min, max] (min excluded when minExclusive), whole when asked */
export const numberIn =
  (min: number, max: number, integer = false, minExclusive = false): KnobParse<number> =>
  (text) => {
    const n = parseNumber(text);
    const ok = n !== undefined && (minExclusive ? n > min : n >= min) && n <= max && (!integer || Number.isInteger(n));
    return ok
      ? { value: n }
      : {
          rule: `must be ${integer ? 'a whole number' : 'a number'} ${minExclusive ? 'greater than' : 'at least'} ${min}${Number.isFinite(max) ? ` and at most ${max}` : ''}`,
        };
  };

export const fraction: KnobParse<number> = (text) => {
  const n = parseNumber(text);
  return n !== undefined && n >= 0 && n <= 1 ? { value: n } : { rule: 'must be a number from 0 to 1' };
};

/** a fraction (0.2) or a percentage (20%) from 0 up to below `max` */
export const ratio =
  (max: number): KnobParse<number> =>
  (text) => {
    const t = text.trim();
    const n = t.endsWith('%') ? (parseNumber(t.slice(0, -1)) ?? NaN) / 100 : parseNumber(t);
    return n !== undefined && n >= 0 && n < max
      ? { value: n }
      : { rule: `must be a fraction (0.2) or a percentage (20%) from 0 up to below ${max * 100}%` };
  };

/** seconds: "30s", "2m", "1h" or a number; positive, or at least 0 */
export const duration =
  (min: 'positive' | 'zero'): KnobParse<number> =>
  (text) => {
    const s = parseDurationSeconds(text);
    if (s === undefined) return { rule: 'must be a duration like 30s, 2m, 1h or a number of seconds' };
    if (min === 'positive' ? s <= 0 : s < 0)
      return { rule: `must be a duration ${min === 'positive' ? 'greater than 0' : 'of at least 0'}` };
    return { value: s };
  };

/** the capacity search's budget: its own rule text (it predates the table) */
export const budget: KnobParse<number> = (text) => {
  const s = parseDurationSeconds(text);
  return s !== undefined && s > 0
    ? { value: s }
    : { rule: 'must be a duration like 5m, 300s or a number of seconds, greater than 0' };
};

export const oneOf =
  <const C extends string>(choices: readonly C[]): KnobParse<C> =>
  (text) => {
    const choice = choices.find((c) => c === text);
    return choice !== undefined ? { value: choice } : { rule: `must be one of ${choices.join(', ')}` };
  };

export const text: KnobParse<string> = (t) => (t === '' ? { rule: 'must not be empty' } : { value: t });

export const bool: KnobParse<boolean> = (t) =>
  ['1', 'true', 'yes', 'on'].includes(t.toLowerCase())
    ? { value: true }
    : ['0', 'false', 'no', 'off'].includes(t.toLowerCase())
      ? { value: false }
      : { rule: 'must be true or false' };

export const runName: KnobParse<string> = (t) =>
  /^[a-z0-9][a-z0-9._-]{0,39}$/.test(t) && !t.includes('..')
    ? { value: t }
    : { rule: 'must be 1-40 characters of a-z, 0-9, ".", "_" or "-", starting with a letter or digit' };

export const httpUrl: KnobParse<string> = (t) =>
  /^https?:\/\/[^/\s]+/.test(t) ? { value: t } : { rule: 'must be an http(s) URL such as http://127.0.0.1:9090' };

export const currency: KnobParse<string> = (t) =>
  /^[A-Za-z$€£¥]{1,5}$/.test(t) ? { value: t } : { rule: 'must be 1-5 letters or a currency sign' };

/** "1,2,4,8" -> [1, 2, 4, 8]: ascending whole numbers, at most 64 steps */
export const concurrencyList: KnobParse<readonly number[]> = (t) => {
  const parts = t.split(',').map((p) => p.trim());
  const values = parts.map((p) => parseNumber(p));
  const steps: number[] = [];
  for (const [i, n] of values.entries()) {
    if (n === undefined || !Number.isSafeInteger(n) || n <= 0 || n > 100_000 || (i > 0 && n <= (steps[i - 1] ?? 0)))
      break;
    steps.push(n);
  }
  return parts.length <= 64 && steps.length === parts.length
    ? { value: Object.freeze(steps) }
    : { rule: 'must be ascending whole numbers from 1 to 100000 separated by commas (at most 64), e.g. 1,2,4,8' };
};

/** "planPrompts=2,planWarmup=1,classMix=llm:3|image:1" -> the same text, once its shape is checked */
export const workloadPairs: KnobParse<string> = (t) =>
  t.split(',').every((pair) => /^[A-Za-z][A-Za-z0-9]*=[^,]*$/.test(pair.trim()))
    ? { value: t }
    : { rule: 'must be key=value pairs separated by commas, e.g. planPrompts=2,planWarmup=1' };

/** INPUT_TOKENS / OUTPUT_TOKENS: "N", "A..B" or "N~S" (lib/cli/workload/lengths.ts), parsed once here */
export const lengthDist: KnobParse<LengthDist> = (t, label) => {
  const d = lengthDistProblem(label, t);
  return typeof d === 'string' ? { problems: [d] } : { value: d };
};

/** TOKEN_PAIRS: "128:64,512:128"; every bad pair is a problem */
export const tokenPairs: KnobParse<readonly TokenPair[]> = (t, label) => {
  try {
    return { value: Object.freeze(parseTokenPairs(t, label)) };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return { problems: [...err.problems] };
  }
};
