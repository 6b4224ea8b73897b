// One stage × class row of summary.json, built from any source of metric
// values: k6's handleSummary data (lib/k6/summary/build.ts) or the raw samples
// of several k6 instances merged (lib/cli/distributed/merge-summary.ts). Pure.

import { COUNTER, ERROR_CLASSES, RATE, TAG, TREND } from './metrics.ts';
import type { ClassStageStats, TrendStats } from './summary.ts';
import { tokenAccuracy } from './token-accuracy.ts';

/** Reads one stage × class's metrics; `extraTags` narrows further (e.g. error_class). */
export interface ClassMetricReader {
  count(metric: string, extraTags?: Record<string, string>): number;
  rate(metric: string): number;
  trend(metric: string): TrendStats | undefined;
}

export function buildClassStats(
  read: ClassMetricReader,
  durationS: number,
  where = '',
  warnInput = true,
): ClassStageStats | undefined {
  const requests = read.count(COUNTER.requests);
  if (requests === 0) return undefined;
  const errors: ClassStageStats['errors'] = {};
  for (const e of ERROR_CLASSES) {
    const n = read.count(COUNTER.errors, { [TAG.errorClass]: e });
    if (n > 0) errors[e] = n;
  }
  const latency: Record<string, TrendStats> = {};
  for (const name of Object.values(TREND)) {
    const s = read.trend(name);
    if (s !== undefined) latency[name] = s;
  }
  const perS = (x: number) => (durationS > 0 ? x / durationS : 0);
  const outputTokens = read.count(COUNTER.outputTokens);
  const images = read.count(COUNTER.images);
  const tokens = tokenAccuracy(
    latency[TREND.outputTokenErrorRatio],
    read.rate(RATE.outputShort),
    latency[TREND.inputTokenErrorRatio],
    where,
    warnInput,
  );
  const reportedTokens = read.count(COUNTER.promptCacheReportedTokens);
  const promptCache =
    reportedTokens > 0 ? { cachedTokens: read.count(COUNTER.promptCachedTokens), reportedTokens } : undefined;
  return {
    requests,
    errorRate: read.rate(RATE.errorRate),
    errors,
    goodputRatio: read.rate(RATE.goodputRatio),
    requestsPerS: perS(requests),
    goodputPerS: perS(read.count(COUNTER.goodRequests)),
    outputTokens,
    promptTokens: read.count(COUNTER.promptTokens),
    outputTokensPerS: perS(outputTokens),
    images,
    imagesPerS: perS(images),
    latency,
    ...(tokens === undefined ? {} : { tokens }),
    ...(promptCache === undefined ? {} : { promptCache }),
  };
}
