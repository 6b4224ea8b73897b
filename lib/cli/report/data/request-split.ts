// Where an llm request's time went, per stage, as the server itself
// reported it per request (Server-Timing `prefill` / `decode` from genload's
// reference server, llama.cpp's `timings`): server prefill, server decode,
// and the rest of the client's e2e (queue + network + client), as means so
// they add up; plus the share of prompt tokens the server served from its
// prompt cache. A figure the server did not send reads "not reported by this
// server", never 0. Prompts mostly served from the cache flatter TTFT: a
// warning says so. Pure.

import { TREND } from '../../../shared/metrics.ts';
import type { RunSummary } from '../../run-folder/run-record.ts';

export const NOT_REPORTED = 'not reported by this server';

export interface SplitRow {
  stage: string;
  requests: number;
  e2eMeanMs: number | null;
  prefillMeanMs: number | null;
  decodeMeanMs: number | null;
  queueNetworkMeanMs: number | null;
  /** cached / reported prompt tokens, 0..1 */
  promptCacheShare: number | null;
}

/** Above this share of prompt tokens from the server's cache, TTFT is flattered. */
export const CACHED_WARN_SHARE = 0.5;

export function requestSplit(summary: RunSummary | undefined): { rows: SplitRow[]; warnings: string[] } {
  const rows: SplitRow[] = [];
  for (const st of summary?.stages ?? []) {
    const c = st.classes.llm;
    if (!st.judged || c === undefined) continue;
    const mean = (m: string): number | null => c.latency[m]?.avg ?? null;
    rows.push({
      stage: st.stage,
      requests: c.requests,
      e2eMeanMs: mean(TREND.e2eMs),
      prefillMeanMs: mean(TREND.serverPrefillMs),
      decodeMeanMs: mean(TREND.serverDecodeMs),
      queueNetworkMeanMs: mean(TREND.queueNetworkMs),
      promptCacheShare:
        c.promptCache !== undefined && c.promptCache.reportedTokens > 0
          ? c.promptCache.cachedTokens / c.promptCache.reportedTokens
          : null,
    });
  }
  const cached = rows.filter((r) => r.promptCacheShare !== null && r.promptCacheShare >= CACHED_WARN_SHARE);
  const warnings =
    cached.length === 0
      ? []
      : [
          `prompts were largely served from the server's prompt cache (${cached.map((r) => `${r.stage} ${((r.promptCacheShare ?? 0) * 100).toFixed(0)} %`).join(', ')} of prompt tokens): TTFT is flattered against fresh prompts. Identical prompts repeat when a block of requests wraps (closed model) or a workload shares prefixes; a distinct seed or more requests per block avoids it.`,
        ];
  return { rows, warnings };
}

/** Whether any stage has any figure from the server (else the report says so in one line). */
export const anyReported = (rows: readonly SplitRow[]): boolean =>
  rows.some((r) => r.prefillMeanMs !== null || r.decodeMeanMs !== null || r.promptCacheShare !== null);

export const SPLIT_HEADERS = [
  'stage',
  'requests',
  'e2e mean',
  'server prefill mean',
  'server decode mean',
  'queue + network mean',
  'prompt tokens from cache',
] as const;

export function splitCells(r: SplitRow): string[] {
  const ms = (v: number | null): string => (v === null ? NOT_REPORTED : v >= 100 ? v.toFixed(0) : v.toFixed(1));
  return [
    r.stage,
    String(r.requests),
    ms(r.e2eMeanMs),
    ms(r.prefillMeanMs),
    ms(r.decodeMeanMs),
    r.prefillMeanMs !== null && r.decodeMeanMs !== null ? ms(r.queueNetworkMeanMs) : NOT_REPORTED,
    r.promptCacheShare === null ? NOT_REPORTED : `${(r.promptCacheShare * 100).toFixed(1)} %`,
  ];
}
