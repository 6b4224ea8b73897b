// Workloads as data (issue 14), Node side: the requests of a run, built before k6
// starts and written to workload.jsonl. See README.md beside this file.
export type { ImageItem, LlmItem, Message, WorkloadItem } from './items.ts';
export { BUILTIN_TOKENIZER, builtinTokenizer, loadTokenizer, type Tokenizer } from './tokenizer.ts';
export {
  formatLengthDist,
  lengthDistProblem,
  parseLengthDist,
  parseTokenPairs,
  sampleLength,
  samplePair,
  type LengthDist,
  type TokenPair,
} from './lengths.ts';
export { DISTINCT_TOKENS, PromptMaker, type ExactText } from './synthetic.ts';
export { parseDataset, readDataset, type Dataset, type DatasetEntry } from './dataset.ts';
export { BLOCK_TOKENS, parseTrace, readTrace, timeMs, type TraceRow } from './trace.ts';
export { buildWorkload, workloadItems, WORKLOAD_DEFAULTS, type WorkloadSpec } from './build.ts';
export type { PrefixSpec } from './conversations.ts';
export {
  readWorkloadFile,
  workloadLine,
  writeWorkloadFile,
  WORKLOAD_FORMAT,
  WORKLOAD_VERSION,
  type ReadWorkload,
  type WorkloadHeader,
  type WorkloadPhase,
  type WriteOptions,
  type WrittenWorkload,
} from './file.ts';
export { capProblems, MAX_PROBLEMS, WorkloadInputError } from './errors.ts';
