// Hugging Face Text Generation Inference (docs "Metrics"): no model label
// (one model per server). Durations are histograms in seconds.

import type { Dialect } from '../dialect.ts';

export const tgi: Dialect = {
  id: 'tgi',
  server: 'Text Generation Inference',
  marks: ['tgi_queue_size', 'tgi_batch_current_size', 'tgi_request_count'],
  groupLabels: [],
  signals: {
    waiting: { kind: 'gauge', names: ['tgi_queue_size'] },
    busySlots: { kind: 'gauge', names: ['tgi_batch_current_size'] },
    queueTimeMs: { kind: 'histMean', names: ['tgi_request_queue_duration'], scale: 1000 },
    decodeTimePerTokenMs: { kind: 'histMean', names: ['tgi_request_mean_time_per_token_duration'], scale: 1000 },
    generatedTokensPerS: { kind: 'rate', names: ['tgi_request_generated_tokens_sum'] },
  },
};
