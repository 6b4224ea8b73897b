// Workloads: the knobs (defaults.ts), their validation (schema.ts, Node side),
// seeded prompt text (prompts.ts) and per-request sampling (sample.ts).
export { DEFAULT_WORKLOAD, PROMPT_SETS, MAX_TOKENS_DISTS, withWorkloadDefaults, parseMix, type Workload, type PromptSet } from './defaults.ts';
export { parseWorkload, WorkloadError, workloadSchema } from './schema.ts';
export { sampleWork, sampleClass, sampleMaxTokens, type WorkItem, type LlmWork, type ImageWork } from './sample.ts';
export { samplePromptWords, promptText } from './prompts.ts';
