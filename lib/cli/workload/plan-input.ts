// What a run hands the workload builder (its plan's parts) and what it gets back.

import type { LoadConfig, TargetApi, WorkloadFileRef } from '../../shared/run-config.ts';
import type { Plan } from '../../shared/plan/phase.ts';
import type { Workload } from '../../shared/workload/defaults.ts';
import type { LengthDist, TokenPair } from './lengths.ts';

/**
 * The knobs that shape the request list, parsed by the configuration table
 * (lib/cli/config/knobs.ts `RequestList` has this shape; declared here so the
 * workload room does not import the configuration room, which imports it).
 */
export interface RequestListValues {
  readonly inputTokens?: LengthDist | undefined;
  readonly outputTokens?: LengthDist | undefined;
  readonly tokenPairs?: readonly TokenPair[] | undefined;
  readonly tokenizer?: string | undefined;
  readonly dataset?: string | undefined;
  readonly trace?: string | undefined;
  readonly traceSpeed?: number | undefined;
  readonly prefixes?: number | undefined;
  readonly prefixTokens?: number | undefined;
  readonly prefixShare?: number | undefined;
  readonly turns?: number | undefined;
  readonly workloadFile?: string | undefined;
}

export interface RunWorkloadInput {
  runDir: string;
  scenario: string;
  api: TargetApi;
  model: string | undefined;
  load: LoadConfig;
  /** the validated workload record (defaults filled) */
  workload: Workload;
  /** the request-list knobs of the plan, parsed */
  knobs: RequestListValues;
  /** where k6 will find the file, when not at its path here (k6-operator pods: /test/workload.jsonl) */
  pathForK6?: string;
}

export interface RunWorkload {
  ref: WorkloadFileRef;
  plan: Plan;
  /** one line for the log: what was built */
  description: string;
}
