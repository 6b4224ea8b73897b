// The typed plan of one run: everything the configuration decided, resolved and
// validated once (resolve.ts), then handed to an executor (load, capacity,
// package-operator). No executor reads a flag, an environment variable or a
// knob record again.

import type { LoadConfig, TargetApi } from '../../shared/run-config.ts';
import type { ScenarioName } from '../../shared/scenarios.ts';
import type { DialectId } from '../../shared/server-signals.ts';
import type { Slo } from '../../shared/slo/schema.ts';
import type { Workload } from '../../shared/workload/defaults.ts';
import type { RequestList } from '../config/knobs.ts';
import type { ResolvedKnobs } from '../config/resolve.ts';
import type { Credentials } from './credentials.ts';

export type { Credentials };

export type Engine = 'onnx' | 'sim';

/** Where the load goes: a URL (credentials stripped), or the local reference server genload starts. */
export type Endpoint =
  { readonly kind: 'remote'; readonly url: string } | { readonly kind: 'managed'; readonly engine: Engine };

export interface TargetPlan {
  readonly endpoint: Endpoint;
  readonly api: TargetApi;
  /** model id sent in requests; undefined lets the target module pick its default */
  readonly model: string | undefined;
  /** path probed before any load is sent: READY_PATH, else the API's (lib/shared/targets/apis.ts) */
  readonly readyPath: string;
  readonly credentials: Credentials;
  /** METRICS_URL: the Prometheus endpoint the monitors read; undefined: <target url>/metrics */
  readonly metricsUrl: string | undefined;
  /** SERVER_DIALECT: read it as this server instead of detecting (lib/cli/monitor/server-signals) */
  readonly serverDialect: DialectId | undefined;
}

/** The knobs that shape the request list built before k6 starts (lib/cli/workload/from-plan.ts), parsed. */
export type { RequestList };

export interface SloPlan {
  /** the parsed SLO: the one given, else the scenario's default for the classes it sends (run-plan/slo.ts) */
  readonly profile: Slo;
  /** the file it came from (thresholds/<name>.json or a path), or null for a default combined from two profiles */
  readonly path: string | null;
  /** given: SLO= named it; default: no SLO was given */
  readonly origin: 'given' | 'default';
}

export interface OutputsPlan {
  /** absolute folder that receives the run folder */
  readonly resultsDir: string;
  /** RUN_NAME: label appended to the run folder name */
  readonly runName: string | undefined;
  /** k6 processes on execution segments (1: a single k6) */
  readonly instances: number;
  /** Prometheus remote-write receiver k6 streams metrics to */
  readonly prometheusRw: string | undefined;
}

export interface RunPlan {
  readonly scenario: ScenarioName;
  readonly target: TargetPlan;
  readonly load: LoadConfig;
  /** the validated workload record, defaults filled (the run config's workload) */
  readonly workload: Workload;
  readonly requestList: RequestList;
  /** WORKLOAD=k=v,...: keys set explicitly (capacity keeps an explicit trafficClass) */
  readonly workloadKeys: readonly string[];
  readonly slo: SloPlan;
  readonly outputs: OutputsPlan;
  /** every knob's value and source, for config.json and `genload config` */
  readonly knobs: ResolvedKnobs;
}
