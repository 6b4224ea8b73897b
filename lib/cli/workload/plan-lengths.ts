// The request lengths a run asks for, from its knobs: the token knobs
// (INPUT_TOKENS / OUTPUT_TOKENS / TOKEN_PAIRS), else the older prompt set and
// max_tokens knobs of the workload record.

import type { Workload } from '../../shared/workload/defaults.ts';
import type { RunWorkloadInput } from './plan-input.ts';
import type { LengthDist, TokenPair } from './lengths.ts';

/** Input lengths of the old prompt sets, in tokens (about 1.3 tokens a word of English prose). */
const PROMPT_SET_TOKENS = { short: 24, long: 320 } as const;

/** The length distributions a run asks for: the token knobs (parsed by the configuration table), else the prompt set and max_tokens knobs. */
export function lengthsOf(
  knobs: RunWorkloadInput['knobs'],
  w: Workload,
): { input: LengthDist; output: LengthDist; pairs?: TokenPair[] } {
  const output = knobs.outputTokens ?? outputFromMaxTokens(w);
  const input = knobs.inputTokens ?? inputFromPromptSet(w);
  const pairs = knobs.tokenPairs === undefined ? undefined : [...knobs.tokenPairs];
  return { input, output, ...(pairs === undefined ? {} : { pairs }) };
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
