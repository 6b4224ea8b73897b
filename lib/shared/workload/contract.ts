// workload.jsonl, the one contract between the CLI (which writes it,
// lib/cli/workload/file.ts) and k6/x/genload (Go, build/xk6-genload/genload/workload_parse.go,
// which reads it once per k6 process): line 1 is the header, then one request a
// line, line i + 2 holding request i. Declared here once; both readers are checked
// against the same files (test/fixtures/workload-vectors, read by
// lib/cli/workload/vectors.test.ts and build/xk6-genload/genload/workload_vectors_test.go).

export const WORKLOAD_FORMAT = 'workload';
export const WORKLOAD_VERSION = 1;
export const WORKLOAD_SOURCES = ['synthetic', 'dataset', 'trace', 'file'] as const;
export type WorkloadSource = (typeof WORKLOAD_SOURCES)[number];

export interface WorkloadPhase {
  name: string;
  /** first request index of the phase's block */
  from: number;
  /** requests in the block (>= 1); request key k of the phase is line from + (k mod count) */
  count: number;
}

/** Line 1, as the CLI writes it. */
export interface WorkloadHeader {
  genload: typeof WORKLOAD_FORMAT;
  version: typeof WORKLOAD_VERSION;
  /** the target API the bodies were built for */
  api: string;
  source: WorkloadSource;
  /** the tokenizer that counted the input tokens */
  tokenizer: string;
  /** request lines after the header */
  count: number;
  phases: WorkloadPhase[];
  /** true: every line carries atMs, the arrival the trace scenario replays */
  trace: boolean;
}

/** Line 1 as k6/x/genload hands it to the script: the Go decoder also accepts a header without tokenizer or trace (trace then false). */
export type WorkloadHeaderAsRead = Omit<WorkloadHeader, 'tokenizer' | 'trace' | 'phases'> & {
  tokenizer?: string;
  trace?: boolean;
  phases: readonly WorkloadPhase[];
};

/** Fields every request line has; field order in the file: i, class, stream/seed, the class's fields, atMs, body. */
interface LineBase {
  /** the request's index: the file line number - 2 */
  i: number;
  /** the sampling seed the server gets */
  seed?: number;
  /** arrival in ms from the start of the trace phase (trace workloads: every line) */
  atMs?: number;
  /** the exact HTTP body */
  body: string;
}

export interface LlmLine extends LineBase {
  class: 'llm';
  stream: boolean;
  inputTokens: number;
  outputTokens: number;
  /** multi-turn: the conversation (0-based) and its turn (1-based) */
  conversation?: number;
  turn?: number;
  /** the shared system prompt it carries (0-based) */
  prefix?: number;
}

export interface ImageLine extends LineBase {
  class: 'image';
  sizePx: number;
  steps: number;
}

export type WorkloadLine = LlmLine | ImageLine;
