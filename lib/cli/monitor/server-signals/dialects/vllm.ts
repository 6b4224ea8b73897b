// vLLM (https://docs.vllm.ai/en/latest/design/metrics.html): the v1 engine's
// names, labelled model_name (and engine on multi-engine servers). Counters
// are exposed with the _total suffix the Python client adds. v0 releases
// called the KV cache gauge vllm:gpu_cache_usage_perc. Both usage gauges are
// fractions 0..1 despite "perc".

import type { Dialect } from '../dialect.ts';

export const vllm: Dialect = {
  id: 'vllm',
  server: "vLLM (v1 names; v0's vllm:gpu_cache_usage_perc too)",
  marks: ['vllm:num_requests_running', 'vllm:num_requests_waiting', 'vllm:kv_cache_usage_perc'],
  groupLabels: ['model_name', 'engine'],
  signals: {
    running: { kind: 'gauge', names: ['vllm:num_requests_running'] },
    waiting: { kind: 'gauge', names: ['vllm:num_requests_waiting'] },
    kvCacheUsage: { kind: 'gauge', names: ['vllm:kv_cache_usage_perc', 'vllm:gpu_cache_usage_perc'] },
    prefixCacheHitRate: {
      kind: 'ratio',
      num: ['vllm:prefix_cache_hits_total', 'vllm:prefix_cache_hits'],
      den: [['vllm:prefix_cache_queries_total', 'vllm:prefix_cache_queries']],
      scale: 1,
    },
    preemptions: { kind: 'rate', names: ['vllm:num_preemptions_total', 'vllm:num_preemptions'] },
    queueTimeMs: { kind: 'histMean', names: ['vllm:request_queue_time_seconds'], scale: 1000 },
    prefillTimeMs: { kind: 'histMean', names: ['vllm:request_prefill_time_seconds'], scale: 1000 },
    decodeTimeMs: { kind: 'histMean', names: ['vllm:request_decode_time_seconds'], scale: 1000 },
    decodeTimePerTokenMs: {
      kind: 'histMean',
      names: ['vllm:time_per_output_token_seconds', 'vllm:inter_token_latency_seconds'],
      scale: 1000,
    },
    promptTokensPerS: { kind: 'rate', names: ['vllm:prompt_tokens_total'] },
    generatedTokensPerS: { kind: 'rate', names: ['vllm:generation_tokens_total'] },
  },
};
