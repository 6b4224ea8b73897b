// A target speaks one API: it turns a work item (what to ask) into requests
// through the transport and returns an Outcome (what was measured). Targets
// never touch k6 metrics: the recorder (lib/k6/metrics) does.

import type { ErrorClass, TrafficClass } from '../../shared/metrics.ts';
import type { TargetApi } from '../../shared/run-config.ts';
import type { WorkItem } from '../../shared/workload/sample.ts';
import type { Workload } from '../../shared/workload/defaults.ts';
import type { ServerTimings } from '../server-timing/parse.ts';
import type { Transport } from '../transport/types.ts';

export interface Outcome {
  class: TrafficClass;
  ok: boolean;
  status: number;
  errorClass?: ErrorClass;
  /** short reason for a failure, for logs (never contains the API key) */
  error?: string;
  /** client end-to-end latency, ms */
  e2eMs: number;
  ttftMs?: number;
  itlMs?: number[];
  outputTokens?: number;
  promptTokens?: number;
  /** the server's usage.completion_tokens, when sent (to compare with the client's count) */
  usageCompletionTokens?: number;
  images?: number;
  steps?: number;
  server: ServerTimings;
}

export interface TargetContext {
  /** base URL without a trailing slash */
  baseUrl: string;
  model: string | undefined;
  /** content-type and, when a key is set, Authorization */
  headers: Readonly<Record<string, string>>;
  /** tags for k6's built-in metrics (stage, class, name) */
  tags: Readonly<Record<string, string>>;
  timeoutMs: number;
  workload: Workload;
  transport: Transport;
}

export interface Target {
  readonly api: TargetApi;
  /** traffic classes this API can carry */
  readonly classes: readonly TrafficClass[];
  send(work: WorkItem, ctx: TargetContext): Outcome;
}
