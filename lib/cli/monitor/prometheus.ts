// The Prometheus text exposition format, read just enough to sum selected
// series over their labels. Histograms appear as their _sum and _count lines.

/** Series the monitors keep: the reference server's names, plus vLLM's and TGI's so other targets show too. */
export const SERVER_SERIES = [
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

/** Sums each wanted series over its label sets; series absent from the text are absent from the result. */
export function sumSeries(text: string, wanted: readonly string[] = SERVER_SERIES): Record<string, number> {
  const want = new Set(wanted);
  const out: Record<string, number> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const brace = line.indexOf('{');
    const space = line.indexOf(' ');
    const nameEnd = brace >= 0 && (space < 0 || brace < space) ? brace : space;
    if (nameEnd <= 0) continue;
    const name = line.slice(0, nameEnd);
    if (!want.has(name)) continue;
    const after = brace === nameEnd ? line.slice(line.lastIndexOf('}') + 1) : line.slice(nameEnd);
    const value = Number(after.trim().split(/\s+/)[0]);
    if (Number.isFinite(value)) out[name] = (out[name] ?? 0) + value;
  }
  return out;
}
