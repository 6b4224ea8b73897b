// Prompts must fit the model: like vLLM's benchmark, which drops requests whose
// prompt + output exceed the context, genload caps prompt length from the
// target's /v1/models (context_tokens, a reference-server extension) when the
// user did not set workload.maxPromptChars. One character is at most one token
// for the byte tokenizer and about a quarter token for BPE, so the cap is safe.

import type { TargetApi } from '../../shared/run-config.ts';
import type { Workload } from '../../shared/workload/defaults.ts';

interface ModelEntry {
  id?: string;
  kind?: string;
  context_tokens?: number;
}

/** The prompt cap in characters for `model` (or the first model with a context), or undefined. */
export function promptCapFrom(
  models: readonly ModelEntry[],
  model: string | undefined,
  maxTokens: number,
): number | undefined {
  const entry =
    model !== undefined ? models.find((m) => m.id === model) : models.find((m) => typeof m.context_tokens === 'number');
  if (entry?.context_tokens === undefined) return undefined;
  // margin for special tokens and chat templates wrapped around the prompt
  return Math.max(1, Math.floor((entry.context_tokens - maxTokens) * 0.9) - 32);
}

/** GET <target>/v1/models, tolerant: undefined when the target has no such route. */
export async function fetchModels(target: string, headers: Record<string, string>): Promise<ModelEntry[] | undefined> {
  try {
    const res = await fetch(`${target}/v1/models`, { headers, signal: AbortSignal.timeout(3000) });
    if (!res.ok) return undefined;
    const body = (await res.json()) as { data?: ModelEntry[] };
    return Array.isArray(body.data) ? body.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The workload with maxPromptChars set from the target's context window, when
 * the user left it at 0 (no cap) and the API lists its models; else as it is.
 */
export async function fitPrompts(
  workload: Workload,
  api: TargetApi,
  model: string | undefined,
  target: string,
  headers: Record<string, string>,
  log: (line: string) => void,
): Promise<Workload> {
  if (workload.maxPromptChars !== 0 || api === 'generic-json') return workload;
  const models = await fetchModels(target, headers);
  const cap = models === undefined ? undefined : promptCapFrom(models, model, workload.maxTokens);
  if (cap === undefined) return workload;
  log(`prompts capped at ${cap} characters to fit the model's context window`);
  return { ...workload, maxPromptChars: cap };
}
