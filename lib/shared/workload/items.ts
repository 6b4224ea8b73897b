// One request of a workload, before it is a body for one API: what to ask for
// and how long (the CLI's workload builder makes these; bodies.ts turns them
// into the bytes written to workload.jsonl). Pure types.

export interface Message {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface LlmItem {
  class: 'llm';
  messages: Message[];
  /** input tokens of all message contents, as the run's tokenizer counts them */
  inputTokens: number;
  /** requested output tokens (max_tokens) */
  outputTokens: number;
  /** trace arrival, ms from the trace's start (time-scaled) */
  atMs?: number;
  conversation?: number;
  turn?: number;
  prefix?: number;
}

export interface ImageItem {
  class: 'image';
  prompt: string;
  sizePx: number;
  steps: number;
  atMs?: number;
}

export type WorkloadItem = LlmItem | ImageItem;
