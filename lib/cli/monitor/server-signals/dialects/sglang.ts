// SGLang (docs "Production Metrics"): gauges of the scheduler, labelled
// model_name (plus engine_type / tp_rank on some releases, summed here except
// model_name). token_usage is the KV-cache pool in use (0..1); cache_hit_rate
// the radix (prefix) cache hit rate (0..1).

import type { Dialect } from '../dialect.ts';

export const sglang: Dialect = {
  id: 'sglang',
  server: 'SGLang',
  marks: ['sglang:num_running_reqs', 'sglang:num_queue_reqs', 'sglang:token_usage'],
  groupLabels: ['model_name'],
  signals: {
    running: { kind: 'gauge', names: ['sglang:num_running_reqs'] },
    waiting: { kind: 'gauge', names: ['sglang:num_queue_reqs'] },
    kvCacheUsage: { kind: 'gauge', names: ['sglang:token_usage'] },
    prefixCacheHitRate: { kind: 'gauge', names: ['sglang:cache_hit_rate'] },
    queueTimeMs: { kind: 'histMean', names: ['sglang:queue_time_seconds'], scale: 1000 },
    decodeTimePerTokenMs: {
      kind: 'histMean',
      names: ['sglang:inter_token_latency_seconds', 'sglang:time_per_output_token_seconds'],
      scale: 1000,
    },
    promptTokensPerS: { kind: 'rate', names: ['sglang:prompt_tokens_total'] },
    generatedTokensPerS: { kind: 'rate', names: ['sglang:generation_tokens_total'] },
  },
};
