// Workload knobs and their defaults, without zod so k6-side code can apply them.
// The CLI validates the record with parseWorkload (schema.ts) before the run;
// inside k6, withWorkloadDefaults() fills what the record leaves out.

export const PROMPT_SETS = ['short', 'long', 'mixed'] as const;
export type PromptSet = (typeof PROMPT_SETS)[number];

/** How max_tokens varies per request: always maxTokens, uniform in 1..maxTokens, or exponential (mean maxTokens/2, capped). */
export const MAX_TOKENS_DISTS = ['fixed', 'uniform', 'exponential'] as const;
export type MaxTokensDist = (typeof MAX_TOKENS_DISTS)[number];

export interface Workload {
  /** prompt length distribution: short (~16 words), long (~256 words), mixed (70 % short, 30 % long) */
  promptSet: PromptSet;
  /** max_tokens per LLM request (the cap of the distribution) */
  maxTokens: number;
  /** longest prompt sent, in characters (0 = no cap); the CLI sets it from the reference
   * model's context window so prompt + max_tokens always fit, as vLLM's benchmark filters */
  maxPromptChars: number;
  maxTokensDist: MaxTokensDist;
  /** stream LLM responses over SSE (TTFT and ITL need it) */
  stream: boolean;
  /** force every LLM answer to max_tokens: OpenAI targets send `ignore_eos: true` (vLLM, llama.cpp's
   * llama-server, SGLang) and `min_tokens: max_tokens` (vLLM, llama-cpp-python, which has no ignore_eos) */
  ignoreEos: boolean;
  /** denoising steps per image request */
  steps: number;
  /** step-count mix, e.g. "4,8,20" (equal weights); empty: always `steps` */
  stepsMix: string;
  /** square image size in pixels */
  sizePx: number;
  /** size mix, e.g. "64,128"; empty: always `sizePx` */
  sizeMix: string;
  /** mixed scenario: fraction of requests that are LLM (the rest are image), 0..1 */
  classMix: number;
  /** gamma arrivals: shape k (burstiness; 1 = Poisson, below 1 burstier) */
  gammaShape: number;
  /** ramp scenario: number of rate steps from rateRps to maxRateRps */
  rampSteps: number;
  /** compare-plan: prompts, warm-up requests per prompt, measured requests per prompt */
  planPrompts: number;
  planWarmup: number;
  planMeasured: number;
  /** compare-plan and mixed-capable scenarios: which class to send (auto: decided by the target API) */
  trafficClass: 'auto' | 'llm' | 'image';
  /** async-jobs: delay between polls of a job, milliseconds */
  pollIntervalMs: number;
  /** per-request timeout, seconds */
  timeoutSeconds: number;
  /** generic-json: path appended to the target URL */
  requestPath: string;
  /** generic-json: JSON body template; {{prompt}}, {{maxTokens}}, {{steps}}, {{sizePx}}, {{seed}} are replaced */
  requestTemplate: string;
  /** inter-token latency samples: token (one per gap, exact percentiles, k6 memory grows ~3.65 MB per 1,000 64-token
   * streams) or request (one per request, its mean gap; every exact gap written to itl.jsonl in the run folder;
   * ~0.41 MB per 1,000; bench/protocol/memory.ts): for long runs */
  itlSamples: ItlSamples;
}

export const ITL_SAMPLES = ['token', 'request'] as const;
export type ItlSamples = (typeof ITL_SAMPLES)[number];

export const DEFAULT_WORKLOAD: Readonly<Workload> = Object.freeze({
  promptSet: 'mixed',
  maxTokens: 64,
  maxPromptChars: 0,
  maxTokensDist: 'fixed',
  stream: true,
  ignoreEos: false,
  steps: 8,
  stepsMix: '',
  sizePx: 64,
  sizeMix: '',
  classMix: 0.5,
  gammaShape: 0.5,
  rampSteps: 5,
  planPrompts: 10,
  planWarmup: 5,
  planMeasured: 20,
  trafficClass: 'auto',
  pollIntervalMs: 100,
  timeoutSeconds: 120,
  requestPath: '/generate',
  requestTemplate: '{"prompt": "{{prompt}}", "max_tokens": {{maxTokens}}}',
  itlSamples: 'token',
});

/** The record as the CLI resolved it, with defaults for missing keys (k6 side: the CLI already validated it). */
export function withWorkloadDefaults(record: Readonly<Record<string, unknown>>): Workload {
  return { ...DEFAULT_WORKLOAD, ...record } as Workload;
}

/** Parses "4,8,20" into numbers; empty text gives [fallback]. */
export function parseMix(text: string, fallback: number): number[] {
  if (text.trim() === '') return [fallback];
  return text.split(',').map((s) => Number(s.trim()));
}
