// The `sim` engine: the same Engine contract as onnx, with a known capacity.
// A fixed number of slots; each request holds one slot for its whole cost:
//   image request: n × (encodeMs + steps × stepMs + decodeMs) (+ spike)
//   text request:  prefillFixedMs + prefillMsPerToken × promptTokens + completionTokens × tokenMs
// so capacity is exactly slots / cost requests per second. Every step and
// token is scheduled at an absolute time (see pace.ts), so timer lateness
// does not accumulate. PNG encoding happens after the slot is released.
import type { FaultConfig, SimConfig } from '../config/schema.ts';
import {
  EngineError,
  type Engine,
  type EngineObserver,
  type ImageRequest,
  type ImageResult,
  type ModelCard,
  type TextRequest,
  type TextResult,
  type TokenEvent,
} from '../engine/types.ts';
import { FaultDice, type FaultPlan } from '../engine/faults.ts';
import { encodePng, seededPattern } from './png.ts';
import { nowMs, sleepUntil, waitForAbort } from './pace.ts';
import { Slots } from './slots.ts';
import { cutAtStop, promptTokenCount, tokenSource } from './text.ts';

/** how far behind the clock a slot may hand its scheduled end to the next request */
const maxCatchUpMs = 50;

export const simModelIds = { diffusion: 'sim-diffusion', llm: 'sim-llm' } as const;

/** an abort reason that is not an EngineError becomes 'cancelled' */
function asEngineError(reason: unknown): EngineError {
  if (reason instanceof EngineError) return reason;
  return new EngineError(
    'cancelled',
    `request cancelled: ${reason instanceof Error ? reason.message : String(reason)}`,
  );
}

export function createSimEngine(sim: SimConfig, faults: FaultConfig, observer: EngineObserver = {}): Engine {
  const slots = new Slots(sim.slots);
  const dice = new FaultDice(faults);
  const running: Record<string, number> = {};
  let busyMs = 0;
  let closing = false;
  /** aborted when the simulated worker crashes; replaced by a fresh one (the respawned worker) */
  let crash = new AbortController();
  const cards: ModelCard[] = [
    {
      id: simModelIds.diffusion,
      kind: 'diffusion',
      precision: 'fp32',
      imageSizes: sim.imageSizes,
      defaultSteps: sim.defaultSteps,
      maxSteps: sim.maxSteps,
    },
    { id: simModelIds.llm, kind: 'llm', precision: 'fp32', contextTokens: sim.contextTokens },
  ];

  function checkModel(model: string, kind: ModelCard['kind']): void {
    if (closing) throw new EngineError('cancelled', 'engine is closing');
    const card = cards.find((c) => c.id === model);
    if (!card || card.kind !== kind)
      throw new EngineError('invalid_request', `model: unknown ${kind} model ${JSON.stringify(model)}`);
  }

  /**
   * Waits for a slot, runs `work` holding it, and frees it whatever happens.
   * `clock.t` is the request's schedule: it starts when the slot became free
   * by schedule and `work` advances it by each stage's cost.
   */
  async function withSlot<T>(
    model: string,
    signal: AbortSignal,
    work: (w: AbortSignal, plan: FaultPlan, clock: { t: number }, queueMs: number) => Promise<T>,
  ): Promise<T> {
    const arrivedMs = nowMs();
    let startMs: number;
    try {
      startMs = await slots.acquire(model, signal, arrivedMs);
    } catch (reason) {
      throw asEngineError(reason);
    }
    running[model] = (running[model] ?? 0) + 1;
    const clock = { t: startMs };
    let onSchedule = false;
    const plan = dice.next();
    const workSignal = AbortSignal.any([signal, crash.signal]);
    if (plan.crash) {
      const crashed = crash;
      crash = new AbortController();
      setImmediate(() => {
        crashed.abort(new EngineError('worker_crashed', 'sim worker crashed (injected by faults.crashAfterRequests)'));
        observer.onWorkerCrash?.({ workerId: 0, reason: 'injected crash' });
      });
    }
    try {
      if (plan.fail) throw new EngineError('injected_fault', 'injected fault (faults.errorRate)');
      if (plan.spikeMs > 0) await sleepUntil((clock.t += plan.spikeMs), workSignal);
      const result = await work(workSignal, plan, clock, startMs - arrivedMs);
      onSchedule = true;
      return result;
    } catch (err) {
      if (err instanceof EngineError) throw err;
      throw workSignal.aborted
        ? asEngineError(workSignal.reason)
        : new EngineError('internal', `sim failed; reason: ${String(err)}`);
    } finally {
      running[model]! -= 1;
      // finished work frees the slot at its scheduled end (late timers are caught up, by at most
      // maxCatchUpMs); failed, cancelled or stalled work frees it now
      const now = nowMs();
      const freeAtMs = onSchedule ? Math.max(Math.min(now, clock.t), now - maxCatchUpMs) : now;
      busyMs += freeAtMs - startMs;
      slots.release(freeAtMs);
    }
  }

  // Stage timings below are the scheduled costs (exact); ttftMs and totalMs are measured.
  async function generateImages(req: ImageRequest, signal: AbortSignal): Promise<ImageResult> {
    checkModel(req.model, 'diffusion');
    const t0 = nowMs();
    const queueMs = await withSlot(req.model, signal, async (work, plan, clock, waitedMs) => {
      for (let image = 0; image < req.n; image++) {
        await sleepUntil((clock.t += sim.encodeMs), work);
        for (let step = 0; step < req.steps; step++) {
          if (plan.stall && image === 0 && step === Math.floor(req.steps / 2)) await waitForAbort(work);
          await sleepUntil((clock.t += sim.stepMs), work);
          observer.onBatch?.({ model: req.model, stage: 'denoise', batchSize: 1, durationMs: sim.stepMs, workerId: 0 });
        }
        await sleepUntil((clock.t += sim.decodeMs), work);
      }
      return waitedMs;
    });
    const pngStart = nowMs();
    const images = await Promise.all(
      Array.from({ length: req.n }, (_, i) =>
        encodePng(seededPattern(req.widthPx, req.heightPx, (req.seed + i) >>> 0), req.widthPx, req.heightPx),
      ),
    );
    const end = nowMs();
    return {
      images,
      timings: {
        queueMs,
        encodeMs: req.n * sim.encodeMs,
        denoiseMs: req.n * req.steps * sim.stepMs,
        stepMeanMs: sim.stepMs,
        decodeMs: req.n * sim.decodeMs,
        pngMs: end - pngStart,
        totalMs: end - t0,
        meanBatchSize: 1,
      },
    };
  }

  async function generateText(
    req: TextRequest,
    signal: AbortSignal,
    onToken: (t: TokenEvent) => void,
  ): Promise<TextResult> {
    checkModel(req.model, 'llm');
    const promptTokens = promptTokenCount(req.prompt);
    if (promptTokens + req.maxTokens > sim.contextTokens) {
      throw new EngineError(
        'invalid_request',
        `prompt: ${promptTokens} prompt tokens + max_tokens ${req.maxTokens} must be <= the context window of ${sim.contextTokens} tokens`,
      );
    }
    const t0 = nowMs();
    return withSlot(req.model, signal, async (work, plan, clock, queueMs) => {
      const prefillMs = sim.prefillFixedMs + sim.prefillMsPerToken * promptTokens;
      await sleepUntil((clock.t += prefillMs), work);
      const next = tokenSource(req.prompt, req.seed);
      let text = '';
      let firstTokenMs = 0;
      let count = 0;
      let finishReason: TextResult['finishReason'] = 'length';
      while (count < req.maxTokens) {
        if (plan.stall && count === Math.floor(req.maxTokens / 2)) await waitForAbort(work);
        await sleepUntil((clock.t += sim.tokenMs), work);
        const { emit, stopped } = cutAtStop(text, next(), req.stop);
        if (emit !== '') {
          text += emit;
          if (count === 0) firstTokenMs = nowMs();
          onToken({ text: emit, index: count });
          count++;
        }
        if (stopped) {
          finishReason = 'stop';
          break;
        }
      }
      const end = nowMs();
      if (count === 0) firstTokenMs = end;
      return {
        text,
        promptTokens,
        completionTokens: count,
        finishReason,
        timings: {
          queueMs,
          prefillMs,
          decodeMs: count * sim.tokenMs,
          ttftMs: firstTokenMs - t0,
          totalMs: end - t0,
          meanBatchSize: 1,
        },
      };
    });
  }

  return {
    kind: 'sim',
    provider: 'sim',
    models: () => cards,
    start: async () => {},
    generateImages,
    generateText,
    stats: () => ({ waiting: slots.waitingByModel(), running: { ...running }, workerBusyMs: [busyMs] }),
    async close(deadlineMs: number) {
      closing = true;
      const until = nowMs() + deadlineMs;
      while (slots.inUse > 0 && nowMs() < until) await new Promise((r) => setTimeout(r, 10));
    },
  };
}
