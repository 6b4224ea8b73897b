// How a request failed, from its HTTP status and k6 error code.
// k6 error codes: https://grafana.com/docs/k6/latest/javascript-api/error-codes/

import type { ErrorClass } from '../../shared/metrics.ts';

export const K6_TIMEOUT_CODE = 1050;

/** undefined for a 2xx/3xx answer without transport error. 429 and 503 are load shedding. */
export function classifyFailure(status: number, errorCode: number): ErrorClass | undefined {
  if (status === 429 || status === 503) return 'shed';
  if (status >= 500) return '5xx';
  if (status >= 400) return '4xx';
  if (status === 0) return errorCode === K6_TIMEOUT_CODE ? 'timeout' : 'connection';
  if (errorCode === K6_TIMEOUT_CODE) return 'timeout';
  return undefined;
}
