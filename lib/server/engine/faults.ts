// Fault injection by config (`faults.*`), as an Engine decorator so any engine
// gets the same faults: the server wraps the onnx engine with withFaults(); the
// sim engine draws the same dice itself, because its spikes and stalls hold one
// of its simulated slots (capacity is part of what it models).
//
// Per request, seeded dice (reproducible for a given request order):
//   errorRate         -> fails at once with EngineError 'injected_fault' (HTTP 500)
//   spikeProbability  -> waits spikeMs before the engine sees the request
//   spikeFromRequest = n, spikeRequests = k -> requests n .. n+k-1 (start
//                        order) wait spikeMs too: a burst at a known place
//   stallProbability  -> the request stops making progress half-way (after half
//                        its tokens, or before its images are returned) until it
//                        is aborted (deadline, client gone, shutdown). Once the
//                        engine's own work for it is done, it still counts in
//                        stats().running and holds capacity through `hold()`
//                        (onnx: one worker, as a hung model call would), so the
//                        queue backs up as behind a real stuck request
//   crashAfterRequests = n -> when the n-th request starts, `crash()` is called
//                        once (onnx: a real worker dies in the middle of its
//                        current model call; its requests fail 'worker_crashed')
import type { FaultConfig } from '../config/schema.ts';
import { seededUniform, type Uniform } from '../../shared/stats/random.ts';
import {
  EngineError,
  type Engine,
  type EngineStats,
  type ImageRequest,
  type ImageResult,
  type TextRequest,
  type TextResult,
  type TokenEvent,
} from './types.ts';

export interface FaultPlan {
  /** fail at once with EngineError 'injected_fault' */
  readonly fail: boolean;
  /** extra time before computing */
  readonly spikeMs: number;
  /** stop making progress half-way until the request is aborted */
  readonly stall: boolean;
  /** this request's start crashes a worker */
  readonly crash: boolean;
}

export class FaultDice {
  private readonly rand: Uniform;
  private started = 0;

  constructor(private readonly config: FaultConfig) {
    this.rand = seededUniform(config.seed);
  }

  get active(): boolean {
    const c = this.config;
    return (
      c.errorRate > 0 || c.spikeProbability > 0 || this.burst || c.stallProbability > 0 || c.crashAfterRequests > 0
    );
  }

  private get burst(): boolean {
    return this.config.spikeFromRequest > 0 && this.config.spikeRequests > 0;
  }

  next(): FaultPlan {
    this.started++;
    const c = this.config;
    // always draw three numbers so each fault's dice do not depend on the others' settings
    const [e, s, st] = [this.rand(), this.rand(), this.rand()];
    return {
      fail: e < c.errorRate,
      spikeMs:
        s < c.spikeProbability ||
        (this.burst && this.started >= c.spikeFromRequest && this.started < c.spikeFromRequest + c.spikeRequests)
          ? c.spikeMs
          : 0,
      stall: st < c.stallProbability,
      crash: c.crashAfterRequests > 0 && this.started === c.crashAfterRequests,
    };
  }
}

/** resolves after ms, or rejects with the abort reason */
function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortError(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function abortError(signal: AbortSignal): EngineError {
  const reason: unknown = signal.reason;
  if (reason instanceof EngineError) return reason;
  return new EngineError(
    'cancelled',
    `request cancelled: ${reason instanceof Error ? reason.message : String(reason)}`,
  );
}

/** a promise that only settles (rejects) when the signal aborts: a stalled request */
function stallUntilAbort(signal: AbortSignal): Promise<never> {
  return delay(2 ** 31 - 1, signal).then(() =>
    Promise.reject(
      new EngineError('deadline_exceeded', 'stalled request (faults.stallProbability) outlived the longest timer'),
    ),
  );
}

export interface FaultHooks {
  /** crashes a worker of the wrapped engine (called once, by crashAfterRequests) */
  crash(): void;
  /** holds a unit of the wrapped engine's capacity for a stalled request; settles once the signal aborted and the unit is free */
  hold?(signal: AbortSignal): Promise<void>;
}

/** the engine itself when no fault is configured */
export function withFaults(engine: Engine, faults: FaultConfig, hooks: FaultHooks): Engine {
  const dice = new FaultDice(faults);
  if (!dice.active) return engine;

  /** stalled requests per model whose engine work is done: running as far as anyone can tell */
  const stalled: Record<string, number> = {};

  async function stall(model: string, signal: AbortSignal): Promise<never> {
    stalled[model] = (stalled[model] ?? 0) + 1;
    // not awaited: the request answers as soon as it is aborted, even while its hold still waits for a free unit
    Promise.resolve()
      .then(() => hooks.hold?.(signal))
      .catch(() => {}); // an engine closing or not started has nothing to hold
    try {
      return await stallUntilAbort(signal);
    } finally {
      stalled[model]!--;
    }
  }

  function stats(): EngineStats {
    const s = engine.stats();
    const running: Record<string, number> = { ...s.running };
    for (const [model, n] of Object.entries(stalled)) if (n > 0) running[model] = (running[model] ?? 0) + n;
    return { ...s, running };
  }

  async function before(signal: AbortSignal): Promise<FaultPlan> {
    const plan = dice.next();
    if (plan.crash) setImmediate(() => hooks.crash()); // after this request reached the engine's queue
    if (plan.fail) throw new EngineError('injected_fault', 'injected fault (faults.errorRate)');
    if (plan.spikeMs > 0) await delay(plan.spikeMs, signal);
    return plan;
  }

  return {
    kind: engine.kind,
    get provider() {
      return engine.provider;
    },
    models: () => engine.models(),
    start: () => engine.start(),
    stats,
    close: (deadlineMs) => engine.close(deadlineMs),
    async generateImages(req: ImageRequest, signal: AbortSignal): Promise<ImageResult> {
      const plan = await before(signal);
      const result = await engine.generateImages(req, signal);
      if (plan.stall) await stall(req.model, signal);
      return result;
    },
    async generateText(req: TextRequest, signal: AbortSignal, onToken: (t: TokenEvent) => void): Promise<TextResult> {
      const plan = await before(signal);
      if (!plan.stall) return engine.generateText(req, signal, onToken);
      // tokens after the half-way point are withheld, and so is the result
      const half = Math.floor(req.maxTokens / 2);
      let emitted = 0;
      await engine.generateText(req, signal, (t) => {
        if (emitted++ < half) onToken(t);
      });
      return stall(req.model, signal);
    },
  };
}
