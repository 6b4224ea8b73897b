// genload's reference server (lib/server/metrics/metrics.ts), labelled model.
// genload_batch_size is the items per model call (its stage label, prefill or
// decode, is summed: the mean batch of all calls); its time to first token is
// counted from engine admission, so it stands for prefill.

import type { Dialect } from '../dialect.ts';

export const genload: Dialect = {
  id: 'genload',
  server: "genload's reference server",
  marks: ['genload_num_requests_running', 'genload_server_info'],
  groupLabels: ['model'],
  signals: {
    running: { kind: 'gauge', names: ['genload_num_requests_running'] },
    waiting: { kind: 'gauge', names: ['genload_num_requests_waiting'] },
    busySlots: { kind: 'histMean', names: ['genload_batch_size'], scale: 1 },
    queueTimeMs: { kind: 'histMean', names: ['genload_request_queue_time_seconds'], scale: 1000 },
    decodeTimePerTokenMs: { kind: 'histMean', names: ['genload_inter_token_latency_seconds'], scale: 1000 },
    promptTokensPerS: { kind: 'rate', names: ['genload_prompt_tokens_total'] },
    generatedTokensPerS: { kind: 'rate', names: ['genload_generation_tokens_total'] },
  },
};
