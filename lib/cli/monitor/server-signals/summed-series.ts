// The few series the report's older server charts draw (queue depth, batch
// size against throughput: lib/cli/report/data/server-rates.ts), each summed
// over its label sets. The signals of the vocabulary (scraper.ts) are the
// per-dialect, per-label-group reading; these stay for those charts.

import type { ExpositionSample } from './exposition.ts';

export const SUMMED_SERIES = [
  'genload_num_requests_running',
  'genload_num_requests_waiting',
  'genload_batch_size_sum',
  'genload_batch_size_count',
  'genload_e2e_request_latency_seconds_count',
  'genload_request_queue_time_seconds_sum',
  'genload_request_queue_time_seconds_count',
  'genload_generation_tokens_total',
  'genload_images_total',
  'genload_request_failures_total',
  'vllm:num_requests_running',
  'vllm:num_requests_waiting',
  'vllm:generation_tokens_total',
  'vllm:e2e_request_latency_seconds_count',
  'tgi_batch_current_size',
  'tgi_queue_size',
] as const;

/** Sums each wanted series over its label sets; series absent from the scrape are absent from the result. */
export function sumSeries(
  samples: readonly ExpositionSample[],
  wanted: readonly string[] = SUMMED_SERIES,
): Record<string, number> {
  const want = new Set(wanted);
  const out: Record<string, number> = {};
  for (const s of samples) if (want.has(s.name) && Number.isFinite(s.value)) out[s.name] = (out[s.name] ?? 0) + s.value;
  return out;
}
