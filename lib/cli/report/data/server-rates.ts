// Per-interval figures derived from the monitors' cumulative server counters:
// mean batch size, requests/s, tokens/s and images/s between two scrapes, and
// the queue depth at each scrape. Pure.

import type { Monitors } from '../../run-folder/monitors.ts';

export interface ServerInterval {
  /** seconds since the monitors' first scrape, at the interval's end */
  tS: number;
  batchSizeMean: number | null;
  requestsPerS: number | null;
  tokensPerS: number | null;
  imagesPerS: number | null;
  waiting: number | null;
  running: number | null;
}

const pick = (v: Record<string, number>, ...names: string[]): number | undefined =>
  names.map((n) => v[n]).find((x) => x !== undefined);

function rate(
  prev: Record<string, number>,
  cur: Record<string, number>,
  seconds: number,
  ...names: string[]
): number | null {
  const a = pick(prev, ...names);
  const b = pick(cur, ...names);
  if (a === undefined || b === undefined || seconds <= 0 || b < a) return null;
  return (b - a) / seconds;
}

export function serverIntervals(monitors: Monitors | undefined): ServerInterval[] {
  const points = monitors?.server ?? [];
  const t0 = points[0]?.tMs ?? 0;
  const out: ServerInterval[] = [];
  for (let i = 1; i < points.length; i++) {
    const prev = points[i - 1]!;
    const cur = points[i]!;
    const seconds = (cur.tMs - prev.tMs) / 1000;
    const batches = rate(prev.values, cur.values, 1, 'genload_batch_size_count');
    const items = rate(prev.values, cur.values, 1, 'genload_batch_size_sum');
    out.push({
      tS: (cur.tMs - t0) / 1000,
      batchSizeMean:
        batches !== null && items !== null && batches > 0
          ? items / batches
          : (pick(cur.values, 'tgi_batch_current_size') ?? null),
      requestsPerS: rate(
        prev.values,
        cur.values,
        seconds,
        'genload_e2e_request_latency_seconds_count',
        'vllm:e2e_request_latency_seconds_count',
      ),
      tokensPerS: rate(
        prev.values,
        cur.values,
        seconds,
        'genload_generation_tokens_total',
        'vllm:generation_tokens_total',
      ),
      imagesPerS: rate(prev.values, cur.values, seconds, 'genload_images_total'),
      waiting: pick(cur.values, 'genload_num_requests_waiting', 'vllm:num_requests_waiting', 'tgi_queue_size') ?? null,
      running: pick(cur.values, 'genload_num_requests_running', 'vllm:num_requests_running') ?? null,
    });
  }
  return out;
}
