// The `sim` engine: the same Engine contract as onnx, with a known capacity.
// A fixed number of slots; each request holds one slot for its whole cost:
//   image request: n × (encodeMs + steps × stepMs + decodeMs) (+ spike)
//   text request:  prefillFixedMs + prefillMsPerToken × promptTokens + completionTokens × tokenMs
// so capacity is exactly slots / cost requests per second. Every step and
// token is scheduled at an absolute time (see pace.ts), so timer lateness
// does not accumulate. PNG encoding happens after the slot is released.
import type { FaultConfig, SimConfig } from '../config/schema.ts';
import { EngineError, type Engine, type EngineObserver, type ImageRequest, type ImageResult, type ModelCard, type TextRequest, type TextResult, type TokenEvent } from '../engine/types.ts';
import { FaultDice, type FaultPlan } from './faults.ts';
import { encodePng, seededPattern } from './png.ts';
import { nowMs, sleepUntil, waitForAbort } from './pace.ts';
import { Slots } from './slots.ts';
import { cutAtStop, promptTokenCount, tokenSource } from './text.ts';

export const simModelIds = { diffusion: 'sim-diffusion', llm: 'sim-llm' } as const;

/** an abort reason that is not an EngineError becomes 'cancelled' */
function asEngineError(reason: unknown): EngineError {
  if (reason instanceof EngineError) return reason;
  return new EngineError('cancelled', `request cancelled: ${reason instanceof Error ? reason.message : String(reason)}`);
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
    { id: simModelIds.diffusion, kind: 'diffusion', precision: 'fp32', imageSizes: sim.imageSizes, defaultSteps: sim.defaultSteps, maxSteps: sim.maxSteps },
    { id: simModelIds.llm, kind: 'llm', precision: 'fp32', contextTokens: sim.contextTokens },
  ];

  function checkModel(model: string, kind: ModelCard['kind']): void {
    if (closing) throw new EngineError('cancelled', 'engine is closing');
    const card = cards.find((c) => c.id === model);
    if (!card || card.kind !== kind) throw new EngineError('invalid_request', `model: unknown ${kind} model ${JSON.stringify(model)}`);
  }

  /** waits for a slot, runs `work` holding it, and frees it whatever happens */
  async function withSlot<T>(model: string, signal: AbortSignal, work: (w: AbortSignal, plan: FaultPlan, queueMs: number) => Promise<T>): Promise<T> {
    const arrivedMs = nowMs();
    try {
      await slots.acquire(model, signal);
    } catch (reason) {
      throw asEngineError(reason);
    }
    const startMs = nowMs();
    running[model] = (running[model] ?? 0) + 1;
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
      if (plan.spikeMs > 0) await sleepUntil(nowMs() + plan.spikeMs, workSignal);
      return await work(workSignal, plan, startMs - arrivedMs);
    } catch (err) {
      if (err instanceof EngineError) throw err;
      throw workSignal.aborted ? asEngineError(workSignal.reason) : new EngineError('internal', `sim failed; reason: ${String(err)}`);
    } finally {
      running[model]! -= 1;
      busyMs += nowMs() - startMs;
      slots.release();
    }
  }

  async function generateImages(req: ImageRequest, signal: AbortSignal): Promise<ImageResult> {
    checkModel(req.model, 'diffusion');
    const t0 = nowMs();
    const phases = await withSlot(req.model, signal, async (work, plan, queueMs) => {
      let t = nowMs();
      const spent = { encodeMs: 0, denoiseMs: 0, decodeMs: 0 };
      for (let image = 0; image < req.n; image++) {
        let mark = nowMs();
        await sleepUntil((t += sim.encodeMs), work);
        spent.encodeMs += nowMs() - mark;
        mark = nowMs();
        for (let step = 0; step < req.steps; step++) {
          if (plan.stall && image === 0 && step === Math.floor(req.steps / 2)) await waitForAbort(work);
          const stepStart = nowMs();
          await sleepUntil((t += sim.stepMs), work);
          observer.onBatch?.({ model: req.model, stage: 'denoise', batchSize: 1, durationMs: nowMs() - stepStart, workerId: 0 });
        }
        spent.denoiseMs += nowMs() - mark;
        mark = nowMs();
        await sleepUntil((t += sim.decodeMs), work);
        spent.decodeMs += nowMs() - mark;
      }
      return { ...spent, queueMs };
    });
    const pngStart = nowMs();
    const images = await Promise.all(
      Array.from({ length: req.n }, (_, i) => encodePng(req.widthPx, req.heightPx, seededPattern(req.widthPx, req.heightPx, (req.seed + i) >>> 0))),
    );
    const end = nowMs();
    const totalSteps = req.steps * req.n;
    return {
      images,
      timings: { ...phases, stepMeanMs: totalSteps > 0 ? phases.denoiseMs / totalSteps : 0, pngMs: end - pngStart, totalMs: end - t0, meanBatchSize: 1 },
    };
  }

  async function generateText(req: TextRequest, signal: AbortSignal, onToken: (t: TokenEvent) => void): Promise<TextResult> {
    checkModel(req.model, 'llm');
    const promptTokens = promptTokenCount(req.prompt);
    if (promptTokens + req.maxTokens > sim.contextTokens) {
      throw new EngineError('invalid_request', `prompt: ${promptTokens} prompt tokens + max_tokens ${req.maxTokens} must be <= the context window of ${sim.contextTokens} tokens`);
    }
    const t0 = nowMs();
    return withSlot(req.model, signal, async (work, plan, queueMs) => {
      const start = nowMs();
      let t = start + sim.prefillFixedMs + sim.prefillMsPerToken * promptTokens;
      await sleepUntil(t, work);
      const prefillMs = nowMs() - start;
      const next = tokenSource(req.prompt, req.seed);
      let text = '';
      let firstTokenMs = 0;
      let count = 0;
      let finishReason: TextResult['finishReason'] = 'length';
      while (count < req.maxTokens) {
        if (plan.stall && count === Math.floor(req.maxTokens / 2)) await waitForAbort(work);
        await sleepUntil((t += sim.tokenMs), work);
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
        timings: { queueMs, prefillMs, decodeMs: end - start - prefillMs, ttftMs: firstTokenMs - t0, totalMs: end - t0, meanBatchSize: 1 },
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
