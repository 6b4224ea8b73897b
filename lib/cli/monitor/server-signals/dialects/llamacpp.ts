// llama.cpp's llama-server started with --metrics
// (tools/server/README.md, "GET /metrics"): no labels. prompt_tokens_total
// counts the prompt tokens it processed, prompt_tokens_cached_total those it
// reused from a slot's prompt cache; *_seconds_total are the time spent on
// each, so seconds / tokens is the time per token. n_busy_slots_per_decode is
// the mean number of busy slots per llama_decode call.

import type { Dialect } from '../dialect.ts';

export const llamacpp: Dialect = {
  id: 'llamacpp',
  server: 'llama.cpp llama-server --metrics',
  marks: ['llamacpp:requests_processing', 'llamacpp:prompt_tokens_total', 'llamacpp:tokens_predicted_total'],
  groupLabels: [],
  signals: {
    running: { kind: 'gauge', names: ['llamacpp:requests_processing'] },
    waiting: { kind: 'gauge', names: ['llamacpp:requests_deferred'] },
    busySlots: { kind: 'gauge', names: ['llamacpp:n_busy_slots_per_decode'] },
    prefixCacheHitRate: {
      kind: 'ratio',
      num: ['llamacpp:prompt_tokens_cached_total'],
      den: [['llamacpp:prompt_tokens_cached_total'], ['llamacpp:prompt_tokens_total']],
      scale: 1,
    },
    prefillTimePerTokenMs: {
      kind: 'ratio',
      num: ['llamacpp:prompt_seconds_total'],
      den: [['llamacpp:prompt_tokens_total']],
      scale: 1000,
    },
    decodeTimePerTokenMs: {
      kind: 'ratio',
      num: ['llamacpp:tokens_predicted_seconds_total'],
      den: [['llamacpp:tokens_predicted_total']],
      scale: 1000,
    },
    promptTokensPerS: { kind: 'rate', names: ['llamacpp:prompt_tokens_total'] },
    generatedTokensPerS: { kind: 'rate', names: ['llamacpp:tokens_predicted_total'] },
  },
};
