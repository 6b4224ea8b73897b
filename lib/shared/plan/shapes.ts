// Load shapes as phases, one function per scenario kind, all driven by
// config.load so tests can run each in seconds. Warm-up phases are stage
// "warmup" and never judged.

import type { LoadConfig } from '../run-config.ts';
import type { Workload } from '../workload/defaults.ts';
import { MEASURE_HALVES, MEASURE_STAGE } from '../capacity/extract.ts';
import { twoDigits, type Phase, type Plan } from './phase.ts';

export interface ShapeInput {
  load: LoadConfig;
  workload: Workload;
  /** share of LLM traffic (1 = LLM only, 0 = image only) */
  llmShare: number;
  mode?: Phase['mode'];
  /** the trace scenario: requests in the trace and the last one's arrival (ms, time-scaled) */
  trace?: { requests: number; lastAtMs: number };
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

function phase(input: ShapeInput, p: Omit<Phase, 'llmShare' | 'mode'>): Phase {
  return { llmShare: input.llmShare, mode: input.mode ?? 'request', ...p };
}

function warmup(input: ShapeInput, rateRps: number): Phase[] {
  const s = input.load.warmupSeconds;
  if (s <= 0) return [];
  return [
    phase(input, {
      name: 'warmup',
      stage: 'warmup',
      startS: 0,
      judged: false,
      executor: { kind: 'constant-arrival-rate', rateRps, durationS: s },
    }),
  ];
}

/** Warm-up, then one measured constant-rate phase (llm-stream, diffusion, mixed, async-jobs). */
export function steadyPlan(input: ShapeInput): Plan {
  const { rateRps, durationSeconds, warmupSeconds } = input.load;
  return {
    abortable: false,
    phases: [
      ...warmup(input, rateRps),
      phase(input, {
        name: 'measure',
        stage: 'measure',
        startS: warmupSeconds,
        judged: true,
        executor: { kind: 'constant-arrival-rate', rateRps, durationS: durationSeconds },
      }),
    ],
  };
}

/** Rates of a ramp: rampSteps values from rateRps to maxRateRps, evenly spaced. */
export function rampRates(load: LoadConfig, steps: number): number[] {
  if (steps <= 1) return [load.rateRps];
  return Array.from({ length: steps }, (_, k) =>
    round3(load.rateRps + ((load.maxRateRps - load.rateRps) * k) / (steps - 1)),
  );
}

/** Chained constant-rate steps (step-01, step-02, ...) until the SLO breaks (abortOnFail). */
export function rampPlan(input: ShapeInput): Plan {
  const rates = rampRates(input.load, input.workload.rampSteps);
  const stepS = input.load.durationSeconds / rates.length;
  const phases = warmup(input, input.load.rateRps);
  rates.forEach((rateRps, k) => {
    const name = `step-${twoDigits(k + 1)}`;
    phases.push(
      phase(input, {
        name,
        stage: name,
        startS: input.load.warmupSeconds + k * stepS,
        judged: true,
        executor: { kind: 'constant-arrival-rate', rateRps, durationS: stepS },
      }),
    );
  });
  return { abortable: true, phases };
}

/** baseline at rateRps, a spike at maxRateRps, recovery at rateRps (each a third); the spike itself is reported, not judged. */
export function spikePlan(input: ShapeInput): Plan {
  const third = input.load.durationSeconds / 3;
  const w = input.load.warmupSeconds;
  const at = (name: string, k: number, rateRps: number, judged: boolean) =>
    phase(input, {
      name,
      stage: name,
      startS: w + k * third,
      judged,
      executor: { kind: 'constant-arrival-rate', rateRps, durationS: third },
    });
  return {
    abortable: false,
    phases: [
      ...warmup(input, input.load.rateRps),
      at('baseline', 0, input.load.rateRps, true),
      at('spike', 1, input.load.maxRateRps, false),
      at('recovery', 2, input.load.rateRps, true),
    ],
  };
}

/** ramp up to maxRateRps (a quarter), hold it (half, judged), ramp down (a quarter). */
export function stressPlan(input: ShapeInput): Plan {
  const d = input.load.durationSeconds;
  const w = input.load.warmupSeconds;
  const { rateRps, maxRateRps } = input.load;
  return {
    abortable: false,
    phases: [
      ...warmup(input, rateRps),
      phase(input, {
        name: 'ramp-up',
        stage: 'ramp-up',
        startS: w,
        judged: false,
        executor: { kind: 'ramping-arrival-rate', startRps: rateRps, targetRps: maxRateRps, durationS: d / 4 },
      }),
      phase(input, {
        name: 'hold',
        stage: 'hold',
        startS: w + d / 4,
        judged: true,
        executor: { kind: 'constant-arrival-rate', rateRps: maxRateRps, durationS: d / 2 },
      }),
      phase(input, {
        name: 'ramp-down',
        stage: 'ramp-down',
        startS: w + (3 * d) / 4,
        judged: false,
        executor: { kind: 'ramping-arrival-rate', startRps: maxRateRps, targetRps: rateRps, durationS: d / 4 },
      }),
    ],
  };
}

/** a long constant rate split into windows (soak-01...), so drift over time shows per window. */
export function soakPlan(input: ShapeInput): Plan {
  const d = input.load.durationSeconds;
  const n = Math.min(10, Math.max(3, Math.round(d / 60)));
  const phases = warmup(input, input.load.rateRps);
  for (let k = 0; k < n; k++) {
    const name = `soak-${twoDigits(k + 1)}`;
    phases.push(
      phase(input, {
        name,
        stage: name,
        startS: input.load.warmupSeconds + (k * d) / n,
        judged: true,
        executor: { kind: 'constant-arrival-rate', rateRps: input.load.rateRps, durationS: d / n },
      }),
    );
  }
  return { abortable: false, phases };
}

/** one continuous ramp from rateRps to maxRateRps, reported in 10 windows (bp-01...), aborted when the SLO breaks. */
export function breakpointPlan(input: ShapeInput): Plan {
  const d = input.load.durationSeconds;
  return {
    abortable: true,
    phases: [
      ...warmup(input, input.load.rateRps),
      phase(input, {
        name: 'breakpoint',
        stage: 'bp',
        startS: input.load.warmupSeconds,
        judged: true,
        windowS: d / 10,
        executor: {
          kind: 'ramping-arrival-rate',
          startRps: input.load.rateRps,
          targetRps: input.load.maxRateRps,
          durationS: d,
        },
      }),
    ],
  };
}

/** Concurrency steps: load.concurrency, else 1, 2, 4, ... up to maxVus (maxVus itself the last). */
export function concurrencySteps(load: LoadConfig): number[] {
  if (load.concurrency !== undefined) return [...load.concurrency];
  const out: number[] = [];
  for (let n = 1; n < load.maxVus; n *= 2) out.push(n);
  out.push(load.maxVus);
  return out;
}

/**
 * Closed-model steps (step-01, step-02, ...): N VUs each sending back to back, N
 * from concurrencySteps, each judged by the SLO at its end; the first breach
 * stops the test (abortOnFail). Warm-up runs at the first step's concurrency.
 * A step's last requests finish after it ends (gracefulStop) and still count for it.
 */
export function concurrencyPlan(input: ShapeInput): Plan {
  const steps = concurrencySteps(input.load);
  const stepS = input.load.durationSeconds / steps.length;
  const w = input.load.warmupSeconds;
  const phases: Phase[] = [];
  if (w > 0)
    phases.push(
      phase(input, {
        name: 'warmup',
        stage: 'warmup',
        startS: 0,
        judged: false,
        executor: { kind: 'constant-vus', vus: steps[0] ?? 1, durationS: w },
      }),
    );
  steps.forEach((vus, k) => {
    const name = `step-${twoDigits(k + 1)}`;
    phases.push(
      phase(input, {
        name,
        stage: name,
        startS: w + k * stepS,
        judged: true,
        executor: { kind: 'constant-vus', vus, durationS: stepS },
      }),
    );
  });
  return { abortable: true, phases };
}

/** closed model: a few VUs sending back to back (smoke). */
export function closedPlan(input: ShapeInput, vus: number): Plan {
  return {
    abortable: false,
    phases: [
      phase(input, {
        name: 'measure',
        stage: 'measure',
        startS: 0,
        judged: true,
        executor: { kind: 'constant-vus', vus, durationS: input.load.durationSeconds },
      }),
    ],
  };
}

/** The comparison plan: N prompts × (W warm-up + M measured) sequential requests, one VU. */
export function comparePlan(input: ShapeInput): Plan {
  const { planPrompts, planWarmup, planMeasured } = input.workload;
  return {
    abortable: false,
    phases: [
      phase(input, {
        name: 'compare',
        stage: 'measure',
        startS: 0,
        judged: true,
        perPrompt: { warmup: planWarmup, measured: planMeasured },
        executor: {
          kind: 'shared-iterations',
          vus: 1,
          iterations: planPrompts * (planWarmup + planMeasured),
          maxDurationS: Math.max(600, input.load.durationSeconds),
        },
      }),
    ],
  };
}

/**
 * One step of the capacity search (scenario capacity): a warm-up, then the
 * measurement window in two halves (both stage measure), so latency that keeps
 * rising through the window shows up as queue growth. load.concurrency[0]
 * (LOAD_MODEL=closed) holds that many requests in flight instead of a rate.
 */
export function capacityPlan(input: ShapeInput): Plan {
  const { load } = input;
  const halfS = load.durationSeconds / 2;
  const concurrency = load.concurrency?.[0];
  const at = (name: string, stage: string, startS: number, durationS: number, judged: boolean): Phase =>
    phase(input, {
      name,
      stage,
      startS,
      judged,
      executor:
        concurrency === undefined
          ? { kind: 'constant-arrival-rate', rateRps: load.rateRps, durationS }
          : { kind: 'constant-vus', vus: concurrency, durationS },
    });
  return {
    abortable: false,
    phases: [
      ...(load.warmupSeconds > 0 ? [at('warmup', 'warmup', 0, load.warmupSeconds, false)] : []),
      at(MEASURE_HALVES[0], MEASURE_STAGE, load.warmupSeconds, halfS, true),
      at(MEASURE_HALVES[1], MEASURE_STAGE, load.warmupSeconds + halfS, halfS, true),
    ],
  };
}

/**
 * A recorded trace replayed on its own schedule (scenario trace): one judged
 * phase whose iteration k sleeps until request k's arrival time (workload.jsonl
 * atMs) and sends it; MAX_VUS bounds the requests in flight.
 */
export function tracePlan(input: ShapeInput): Plan {
  const t = input.trace;
  if (t === undefined) throw new Error('TRACE: the trace scenario replays a trace file; set TRACE=path/to/trace.jsonl');
  const maxDurationS = Math.ceil(t.lastAtMs / 1000 + input.workload.timeoutSeconds + 5);
  return {
    abortable: false,
    phases: [
      phase(input, {
        name: 'trace',
        stage: 'measure',
        startS: 0,
        judged: true,
        trace: true,
        executor: { kind: 'shared-iterations', vus: input.load.maxVus, iterations: t.requests, maxDurationS },
      }),
    ],
  };
}
