// A Prometheus configuration for a genload run on one machine: scrape the
// reference server's /metrics (and any other targets) every scrapeIntervalS.
// k6's metrics arrive by remote write, so they need no scrape job. deploy/prometheus/
// prometheus.yml is this function's output for `make server` (port 8000). Pure.

import { stringify } from 'yaml';

export interface PrometheusConfigInput {
  /** host:port of each reference server (or other /metrics endpoint) */
  scrapeTargets: readonly string[];
  scrapeIntervalS?: number;
}

export const SERVER_JOB = 'genload-server';

export function prometheusConfig(input: PrometheusConfigInput): Record<string, unknown> {
  const interval = `${input.scrapeIntervalS ?? 5}s`;
  return {
    global: { scrape_interval: interval, evaluation_interval: interval },
    scrape_configs: [
      { job_name: SERVER_JOB, metrics_path: '/metrics', static_configs: [{ targets: [...input.scrapeTargets] }] },
    ],
  };
}

export function prometheusConfigYaml(input: PrometheusConfigInput): string {
  return stringify(prometheusConfig(input));
}
