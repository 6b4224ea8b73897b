// The names of the files in a run folder (results/<ts>-<scenario>[-<name>]/), one
// place: writers and readers join these, never a literal.

export const RUN_FILE = {
  /** the run's configuration as k6 read it, the target URL redacted, each knob's source (config-record.ts) */
  config: 'config.json',
  /** versions of every component */
  environment: 'environment.json',
  /** how the run ended: exit code, verdict, message (records.ts) */
  run: 'run.json',
  /** k6's handleSummary record (lib/shared/summary.ts; summary-record.ts) */
  summary: 'summary.json',
  /** the same summary as text, as k6 printed it */
  summaryText: 'summary.txt',
  /** time series sampled while k6 ran (monitors.ts) */
  monitors: 'monitors.json',
  /** the CPU of the k6 processes, sampled while they ran (generator-record.ts) */
  generator: 'generator.json',
  /** a capacity search's record (lib/cli/capacity/report.ts; capacity-record.ts) */
  capacity: 'capacity.json',
  /** every request of the run (lib/shared/workload/contract.ts; its header: workload-header.ts) */
  workload: 'workload.jsonl',
  /** k6's JSON output, gzip */
  samples: 'samples.json.gz',
  k6Log: 'k6.log',
  serverLog: 'server.log',
  dashboard: 'dashboard.html',
  /** the outputs the run saved (lib/cli/outputs) */
  outputs: 'outputs.json',
  /** the execution segments of a distributed run */
  segments: 'segments.json',
} as const;

export type RunFileName = (typeof RUN_FILE)[keyof typeof RUN_FILE];
