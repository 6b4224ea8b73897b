// NVIDIA Triton Inference Server (docs "Metrics"): cumulative microsecond
// counters per model and version; a time per request is Δduration / Δsuccess.

import type { Dialect } from '../dialect.ts';

export const triton: Dialect = {
  id: 'triton',
  server: 'NVIDIA Triton Inference Server',
  marks: ['nv_inference_request_success', 'nv_inference_queue_duration_us', 'nv_inference_pending_request_count'],
  groupLabels: ['model', 'version'],
  signals: {
    waiting: { kind: 'gauge', names: ['nv_inference_pending_request_count'] },
    queueTimeMs: {
      kind: 'ratio',
      num: ['nv_inference_queue_duration_us'],
      den: [['nv_inference_request_success']],
      scale: 1 / 1000,
    },
    computeTimeMs: {
      kind: 'ratio',
      num: ['nv_inference_compute_infer_duration_us'],
      den: [['nv_inference_request_success']],
      scale: 1 / 1000,
    },
  },
};
