// The request lengths a run asks for, from its knobs: the token knobs
// (INPUT_TOKENS / OUTPUT_TOKENS / TOKEN_PAIRS), else the older prompt set and
// max_tokens knobs of the workload record.

import type { Workload } from '../../shared/workload/defaults.ts';
import { ConfigError } from '../errors.ts';
import type { RunWorkloadInput } from './plan-input.ts';
import { lengthDistProblem, parseTokenPairs, type LengthDist, type TokenPair } from './lengths.ts';

/** Input lengths of the old prompt sets, in tokens (about 1.3 tokens a word of English prose). */
const PROMPT_SET_TOKENS = { short: 24, long: 320 } as const;

/** The length distributions a run asks for: the token knobs, else the prompt set and max_tokens knobs. */
export function lengthsOf(
  knobs: RunWorkloadInput['knobs'],
  w: Workload,
): { input: LengthDist; output: LengthDist; pairs?: TokenPair[]; problems: string[] } {
  const problems: string[] = [];
  const dist = (field: string, text: unknown, fallback: LengthDist): LengthDist => {
    if (text === undefined) return fallback;
    const d = lengthDistProblem(field, String(text));
    if (typeof d === 'string') {
      problems.push(d);
      return fallback;
    }
    return d;
  };
  const output = dist('OUTPUT_TOKENS', knobs['outputTokens'], outputFromMaxTokens(w));
  const input = dist('INPUT_TOKENS', knobs['inputTokens'], inputFromPromptSet(w));
  let pairs: TokenPair[] | undefined;
  if (knobs['tokenPairs'] !== undefined) {
    try {
      pairs = parseTokenPairs(String(knobs['tokenPairs']));
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems.push(...err.problems);
    }
  }
  return { input, output, ...(pairs === undefined ? {} : { pairs }), problems };
}

function inputFromPromptSet(w: Workload): LengthDist {
  if (w.promptSet === 'mixed')
    return {
      kind: 'mix',
      parts: [
        { weight: 0.7, dist: { kind: 'fixed', tokens: PROMPT_SET_TOKENS.short } },
        { weight: 0.3, dist: { kind: 'fixed', tokens: PROMPT_SET_TOKENS.long } },
      ],
    };
  return { kind: 'fixed', tokens: PROMPT_SET_TOKENS[w.promptSet] };
}

function outputFromMaxTokens(w: Workload): LengthDist {
  if (w.maxTokensDist === 'uniform') return { kind: 'uniform', min: 1, max: w.maxTokens };
  if (w.maxTokensDist === 'exponential') return { kind: 'exponential', mean: w.maxTokens / 2, max: w.maxTokens };
  return { kind: 'fixed', tokens: w.maxTokens };
}
