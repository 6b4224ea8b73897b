// genload's vocabulary of server signals: what an inference server says about
// itself on its Prometheus endpoint, whatever it calls it. The names each
// server uses (its dialect) live in lib/cli/monitor/server-signals/dialects/;
// here only the signals, their units, and the per-stage block summary.json
// carries (StageSummary.server). Pure data, shared by the CLI's writers and
// readers.

/** Each signal with its unit and the words a report uses for it. */
export const SIGNALS = {
  running: { unit: 'requests', words: 'requests running' },
  waiting: { unit: 'requests', words: 'requests waiting' },
  /** slots (llama.cpp) or the running batch (TGI, genload) in use */
  busySlots: { unit: 'requests', words: 'busy slots / batch' },
  /** 0..1 */
  kvCacheUsage: { unit: 'ratio', words: 'KV cache' },
  /** 0..1: prompt tokens (or queries) served from the prefix / prompt cache */
  prefixCacheHitRate: { unit: 'ratio', words: 'prefix cache hit rate' },
  preemptions: { unit: 'per_s', words: 'preemptions' },
  queueTimeMs: { unit: 'ms', words: 'server queue time' },
  prefillTimeMs: { unit: 'ms', words: 'prefill time' },
  prefillTimePerTokenMs: { unit: 'ms', words: 'prefill time per prompt token' },
  decodeTimeMs: { unit: 'ms', words: 'decode time' },
  decodeTimePerTokenMs: { unit: 'ms', words: 'decode time per token' },
  /** Triton: compute time per request */
  computeTimeMs: { unit: 'ms', words: 'compute time' },
  promptTokensPerS: { unit: 'per_s', words: 'prompt tokens/s' },
  generatedTokensPerS: { unit: 'per_s', words: 'generated tokens/s' },
} as const;

export type SignalId = keyof typeof SIGNALS;
export type SignalUnit = (typeof SIGNALS)[SignalId]['unit'];
export const SIGNAL_IDS = Object.keys(SIGNALS) as SignalId[];

/** The dialects genload reads (one file each in lib/cli/monitor/server-signals/dialects/); SERVER_DIALECT takes one. */
export const DIALECT_IDS = ['vllm', 'llamacpp', 'sglang', 'tgi', 'triton', 'genload'] as const;
export type DialectId = (typeof DIALECT_IDS)[number];

/** One signal of one label group over one stage. */
export interface ServerSignalStats {
  signal: SignalId;
  unit: SignalUnit;
  /** the label set it was kept apart by, e.g. `model_name="llama"`; '' when the server gives none */
  group: string;
  /** mean over the stage (a time: mean of the stage's requests, sum / count over the stage) */
  mean: number;
  max: number;
  /** first and last value inside the stage (per scrape interval) */
  first: number;
  last: number;
  /** last - first */
  change: number;
  /** counters: how many over the stage (preemptions: 212) */
  total?: number;
}

export interface ServerStageBlock {
  /** the dialect the values were read with (vllm, llamacpp, ...) */
  dialect: string;
  /** scrape intervals that fell inside the stage */
  intervals: number;
  signals: ServerSignalStats[];
}

/** Run-level: where the signals came from, or why there are none. */
export interface ServerSignalsInfo {
  metricsUrl: string | null;
  /** null: none recognised */
  dialect: string | null;
  /** how the dialect was chosen: detected from the names exposed, or forced (SERVER_DIALECT) */
  how: 'detected' | 'forced' | 'none';
  /** why there are no signals, when there are none */
  note?: string;
}
