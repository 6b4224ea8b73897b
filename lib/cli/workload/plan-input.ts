// What a run hands the workload builder (its plan's parts) and what it gets back.

import type { LoadConfig, TargetApi, WorkloadFileRef } from '../../shared/run-config.ts';
import type { Plan } from '../../shared/plan/phase.ts';
import type { Workload } from '../../shared/workload/defaults.ts';
import type { KnobValue } from '../config/knobs.ts';

export interface RunWorkloadInput {
  runDir: string;
  scenario: string;
  api: TargetApi;
  model: string | undefined;
  load: LoadConfig;
  /** the validated workload record (defaults filled) */
  workload: Workload;
  /** the resolved knobs (REQUEST_LIST_KEYS) */
  knobs: Readonly<Record<string, KnobValue | undefined>>;
  /** where k6 will find the file, when not at its path here (k6-operator pods: /test/workload.jsonl) */
  pathForK6?: string;
}

export interface RunWorkload {
  ref: WorkloadFileRef;
  plan: Plan;
  /** one line for the log: what was built */
  description: string;
}
