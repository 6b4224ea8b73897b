// Did requests get the lengths they asked for? From the per-request samples
// k6/x/genload records for LLM successes: the output error ratio
// ((output − requested) / requested), the share of answers shorter than
// requested, and the input error ratio against the server's usage.prompt_tokens.
// A difference of more than a few percent is a warning: a server that stops at
// end-of-sequence (FORCE the length with IGNORE_EOS=true), a tokenizer other than
// the server's (TOKENIZER=its tokenizer.json), or a chat template's tokens. Pure.

import type { TrendStats } from './summary.ts';

/** Differences up to this share are tokenizers' and templates' noise, not a warning. */
export const TOKEN_TOLERANCE = 0.03;
/** Answers shorter than requested, as a share of answers, above which the run warns. */
export const SHORT_TOLERANCE = 0.05;

export interface TokenAccuracy {
  /** LLM successes that asked for a length */
  requests: number;
  /** share of them whose output was shorter than requested */
  outputShortShare: number;
  /** median of (output − requested) / requested */
  outputErrorMedian: number;
  /** median of (server prompt_tokens − requested input) / requested, when the server sent usage */
  inputErrorMedian?: number;
  warnings: string[];
}

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;

/** `warnInput`: the run asked for input lengths in tokens (else prompt sets sized them, and a server's count is only reported). */
export function tokenAccuracy(
  output: TrendStats | undefined,
  shortShare: number,
  input: TrendStats | undefined,
  where: string,
  warnInput = true,
): TokenAccuracy | undefined {
  if (output === undefined || output.count === 0) return undefined;
  const warnings: string[] = [];
  if (shortShare > SHORT_TOLERANCE) {
    warnings.push(
      `${where}: ${pct(shortShare)} of answers were shorter than the output length they asked for (median ${pct(output.p50)}); the server stopped at end-of-sequence: IGNORE_EOS=true forces the length where the server supports it`,
    );
  } else if (Math.abs(output.p50) > TOKEN_TOLERANCE) {
    warnings.push(`${where}: output tokens differ from the requested length by ${pct(output.p50)} (median)`);
  }
  if (warnInput && input !== undefined && input.count > 0 && Math.abs(input.p50) > TOKEN_TOLERANCE) {
    warnings.push(
      `${where}: the server counted ${pct(Math.abs(input.p50))} ${input.p50 > 0 ? 'more' : 'fewer'} input tokens than requested (median); its chat template adds tokens, or its tokenizer is not the one the prompts were measured with (TOKENIZER=path/to/its/tokenizer.json; genload's reference server counts UTF-8 bytes: TOKENIZER=bytes)`,
    );
  }
  return {
    requests: output.count,
    outputShortShare: shortShare,
    outputErrorMedian: output.p50,
    ...(input === undefined || input.count === 0 ? {} : { inputErrorMedian: input.p50 }),
    warnings,
  };
}

/** Token warnings of the judged stages (summary.json tokenWarnings); absent when there are none. */
export function tokenWarningsOf(
  stages: ReadonlyArray<{ judged: boolean; classes: { llm?: { tokens?: TokenAccuracy } } }>,
): { tokenWarnings?: string[] } {
  const out = stages.filter((s) => s.judged).flatMap((s) => s.classes.llm?.tokens?.warnings ?? []);
  return out.length === 0 ? {} : { tokenWarnings: out };
}
