// The neutral request items (the session contract): what each request asks for,
// independent of the target API. The CLI turns each into the API's HTTP body.

export interface Message {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface LlmItem {
  class: 'llm';
  messages: Message[];
  /** tokens of all message contents as the run's tokenizer counts them (no chat-template tokens) */
  inputTokens: number;
  /** requested output tokens (the body's max_tokens) */
  outputTokens: number;
  /** trace arrival, ms from the trace start, already time-scaled */
  atMs?: number;
  /** multi-turn: conversation id (0-based) and turn number (1-based) */
  conversation?: number;
  turn?: number;
  /** shared-prefix id (0-based), when the request carries a shared system prompt */
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
