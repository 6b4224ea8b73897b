// Workloads: the knobs (defaults.ts), their validation (schema.ts, Node side),
// and one request before it is a body (items.ts). Requests are built by the CLI
// (lib/cli/workload) and written to the run folder as workload.jsonl.
export {
  DEFAULT_WORKLOAD,
  PROMPT_SETS,
  MAX_TOKENS_DISTS,
  withWorkloadDefaults,
  parseMix,
  type Workload,
  type PromptSet,
} from './defaults.ts';
export { parseWorkload, WorkloadError, workloadSchema } from './schema.ts';
export type { WorkloadItem, LlmItem, ImageItem, Message } from './items.ts';
