// A ramp summary like the one issue 16 describes (5.75 rps passes, 10.5 rps
// breaks ITL p95 at 103.7 ms against 100, two steps never reached), for the
// report's tests. Options put the load generator behind at a stage.

import type { RunSummary } from '../../record/run-record.ts';

export const stats = (p50: number, p95: number, p99: number, count = 100) => ({ count, avg: p50, min: p50 / 2, p50, p90: p95 * 0.95, p95, p99, max: p99 * 1.1 });

/** A ramp like the issue's: 5.75 rps passes, 10.5 rps breaks ITL p95 (103.7 ms against 100), two steps never reached. */
export function rampSummary(opts: { valid?: boolean; generatorAt?: string } = {}): RunSummary {
  const steps = [
    { stage: 'step-01', rps: 1, itl: 40 },
    { stage: 'step-02', rps: 5.75, itl: 80 },
    { stage: 'step-03', rps: 10.5, itl: 103.7 },
  ];
  const stages = steps.map((s) => ({
    stage: s.stage,
    judged: true,
    durationS: 20,
    offeredRps: s.rps,
    achievedRps: s.rps,
    requests: s.rps * 20,
    completed: s.stage !== 'step-03',
    classes: { llm: { requests: s.rps * 20, errorRate: 0, errors: {}, goodputRatio: 1, requestsPerS: s.rps, goodputPerS: s.rps, outputTokens: s.rps * 20 * 64, promptTokens: 0, outputTokensPerS: s.rps * 64, images: 0, imagesPerS: 0, latency: { genload_e2e_ms: stats(600, 900, 1000), genload_itl_ms: stats(s.itl * 0.6, s.itl, s.itl * 1.2, 4000) } } },
  }));
  const verdicts = [...steps.map((s) => s.stage), 'step-04', 'step-05'].flatMap((stage) => {
    const itl = steps.find((s) => s.stage === stage)?.itl;
    const notReached = itl === undefined ? { notReached: true as const } : {};
    return [
      { stage, class: 'llm' as const, meaning: 'requests >= 10', metric: `genload_requests{class:llm,stage:${stage}}`, expression: 'count>=10', ok: itl !== undefined, ...notReached },
      { stage, class: 'llm' as const, meaning: 'itlMs p95 < 100 ms', metric: `genload_itl_ms{class:llm,stage:${stage}}`, expression: 'p(95)<100', ok: itl === undefined || itl < 100 },
      { stage, class: 'llm' as const, meaning: 'itlMs has samples', metric: `genload_samples{class:llm,metric_name:genload_itl_ms,stage:${stage}}`, expression: 'count>=1', ok: itl !== undefined, ...notReached },
      { stage, class: 'llm' as const, meaning: 'e2eMs p95 < 8000 ms', metric: `genload_e2e_ms{class:llm,stage:${stage}}`, expression: 'p(95)<8000', ok: true },
    ];
  });
  const reasons = opts.generatorAt !== undefined ? [`stage ${opts.generatorAt}: load generator saturated: p95 start lag 900.0 ms behind the arrival plan (limit 50 ms)`] : [];
  return {
    scenario: 'ramp',
    validity: { valid: opts.valid ?? reasons.length === 0, reasons },
    slo: { name: 'interactive-chat', passed: false, aborted: true, verdicts, highestPassingRps: 5.75 },
    stages: [{ stage: 'warmup', judged: false, durationS: 5, offeredRps: 1, achievedRps: 1, requests: 5, completed: true, classes: {} }, ...stages],
  } as RunSummary;
}

