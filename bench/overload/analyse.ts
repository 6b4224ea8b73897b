// Turns the overload run's raw outcomes and RSS samples into the figures and
// pass/fail checks of the benchmark. Pure: no I/O.
import type { OpenLoopResult, Outcome } from './open-loop.ts';
import type { RssSample } from './rss.ts';

export type Verdict = 'pass' | 'FAIL';

/** nearest-rank percentile of sorted values */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

const median = (xs: number[]): number =>
  percentile(
    [...xs].sort((a, b) => a - b),
    0.5,
  );

export interface AnalyseInput {
  readonly result: OpenLoopResult;
  readonly rss: readonly RssSample[];
  readonly capacityRps: number;
  readonly queueBoundMs: number;
  readonly costMs: number;
  /** memory growth limit, bytes (default 50 MiB) */
  readonly maxGrowthBytes?: number;
  /** share over the queue bound still counted as within it: HTTP and timer overhead on a shared machine (default 0.1) */
  readonly boundAllowance?: number;
  /** recovery limit, seconds (default 10) */
  readonly maxRecoverySeconds?: number;
}

export function analyse(input: AnalyseInput) {
  const { result } = input;
  const phase = (name: string) => result.phases.find((p) => p.name === name)!;
  const inPhase = (name: string) =>
    result.outcomes.filter((o) => o.startMs >= phase(name).startMs && o.startMs < phase(name).endMs);
  const overloadPhase = phase('overload');
  const over = inPhase('overload');
  const seconds = (overloadPhase.endMs - overloadPhase.startMs) / 1000;
  const ok = over.filter((o) => o.status === 200);
  const shed = over.filter((o) => o.status === 429);
  const latencies = ok.map((o) => o.latencyMs).sort((a, b) => a - b);
  const overload = {
    offeredRps: over.length / seconds,
    okRps: ok.length / seconds,
    shedShare: over.length === 0 ? 0 : shed.length / over.length,
    retryAfterShare:
      shed.length === 0
        ? null
        : shed.filter((o) => o.retryAfter !== undefined && Number(o.retryAfter) > 0).length / shed.length,
    otherErrors: over.length - ok.length - shed.length,
    p50Ms: percentile(latencies, 0.5),
    p95Ms: percentile(latencies, 0.95),
    p99Ms: percentile(latencies, 0.99),
    maxMs: latencies[latencies.length - 1] ?? Number.NaN,
  };

  // throughput per 1-s bin of request start, successes and sheds
  const bins = new Map<number, { ok: number; shed: number; other: number; okLatencies: number[] }>();
  for (const o of result.outcomes) {
    const b = Math.floor(o.startMs / 1000);
    const bin = bins.get(b) ?? { ok: 0, shed: 0, other: 0, okLatencies: [] };
    if (o.status === 200) {
      bin.ok++;
      bin.okLatencies.push(o.latencyMs);
    } else if (o.status === 429) bin.shed++;
    else bin.other++;
    bins.set(b, bin);
  }
  const perSecond = [...bins.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([second, c]) => ({
      second,
      ok: c.ok,
      shed: c.shed,
      other: c.other,
      okP95Ms: Math.round(
        percentile(
          c.okLatencies.sort((x, y) => x - y),
          0.95,
        ),
      ),
    }));
  const base = phase('baseline');
  const baseBins = perSecond.filter(
    (b) => b.second * 1000 >= base.startMs + 1000 && (b.second + 1) * 1000 <= base.endMs,
  );
  const baselineOkRps = baseBins.reduce((s, b) => s + b.ok, 0) / Math.max(1, baseBins.length);
  // recovered: from this bin on, three bins in a row at >= 90 % of the baseline with nothing shed
  const rec = phase('recovery');
  const recBins = perSecond.filter(
    (b) => b.second * 1000 >= overloadPhase.endMs - 1 && (b.second + 1) * 1000 <= rec.endMs,
  );
  let recoveredSecond: number | null = null;
  for (let i = 0; i + 2 < recBins.length; i++) {
    const run = recBins.slice(i, i + 3);
    if (run.every((b) => b.ok >= 0.9 * baselineOkRps && b.shed === 0 && b.other === 0)) {
      recoveredSecond = recBins[i]!.second;
      break;
    }
  }
  // seconds from the end of the overload to the start of the first recovered bin (1-s resolution)
  const recovery = {
    baselineOkRps,
    seconds: recoveredSecond === null ? null : Math.round((recoveredSecond * 1000 - overloadPhase.endMs) / 100) / 10,
  };

  const rssIn = (from: number, to: number) =>
    input.rss.filter((s) => s.tMs >= from && s.tMs < to).map((s) => s.rssBytes);
  const baselineBytes = median(rssIn(base.endMs - 5000, base.endMs));
  const peakBytes = Math.max(...rssIn(overloadPhase.startMs, Number.POSITIVE_INFINITY));
  const endBytes = median(rssIn(rec.endMs - 5000, Number.POSITIVE_INFINITY));
  const rss = { baselineBytes, peakBytes, endBytes, growthBytes: peakBytes - baselineBytes };

  const checks: Record<'shed' | 'p95' | 'memory' | 'recovery' | 'client', Verdict> = {
    shed: overload.shedShare >= 0.5 && overload.retryAfterShare === 1 ? 'pass' : 'FAIL',
    p95: overload.p95Ms <= input.queueBoundMs * (1 + (input.boundAllowance ?? 0.1)) ? 'pass' : 'FAIL',
    memory: rss.growthBytes < (input.maxGrowthBytes ?? 50 * 1024 * 1024) ? 'pass' : 'FAIL',
    recovery: recovery.seconds !== null && recovery.seconds <= (input.maxRecoverySeconds ?? 10) ? 'pass' : 'FAIL',
    // a client that started requests late did not offer the load it claims
    client: result.lateMaxMs < 250 ? 'pass' : 'FAIL',
  };
  return { overload, recovery, rss, checks, perSecond };
}

export type { Outcome };
