// The contract between the HTTP layer (routes, admission, jobs, metrics) and an
// engine (what computes: the `sim` engine with known capacity, or the `onnx`
// engine running ONNX Runtime in worker threads).
//
// The HTTP layer admits a request (bounded queue per model, per-request
// deadline), then hands it to the engine with an AbortSignal that fires on the
// deadline, on client disconnect, on job cancellation and on shutdown. The
// engine schedules and batches internally and reports its own stage timings.
// All durations are milliseconds (float) measured with performance.now().

import type { ServerConfig } from '../config/schema.ts';

export type EngineKind = 'sim' | 'onnx';
export type ModelKind = 'diffusion' | 'llm';
export type Precision = 'fp32' | 'fp16' | 'int8';

export interface ModelCard {
  /** id used in requests (`model` field) and in /v1/models, e.g. "tiny-sd-fp32" */
  readonly id: string;
  readonly kind: ModelKind;
  readonly precision: Precision;
  /** for diffusion: allowed square sizes in pixels, e.g. [64, 128, 256] */
  readonly imageSizes?: readonly number[];
  readonly defaultSteps?: number;
  readonly maxSteps?: number;
  /** for llm: context window in tokens (prompt + completion) */
  readonly contextTokens?: number;
}

export interface ImageRequest {
  readonly model: string;
  readonly prompt: string;
  readonly negativePrompt?: string;
  /** images to generate for this prompt */
  readonly n: number;
  readonly widthPx: number;
  readonly heightPx: number;
  readonly steps: number;
  readonly guidanceScale: number;
  readonly seed: number;
}

export interface ImageTimings {
  readonly queueMs: number;
  readonly encodeMs: number;
  readonly denoiseMs: number;
  /** denoiseMs / steps: the mean per-step latency seen by this request (includes batching) */
  readonly stepMeanMs: number;
  readonly decodeMs: number;
  readonly pngMs: number;
  readonly totalMs: number;
  /** mean number of requests' items sharing each denoiser call with this one */
  readonly meanBatchSize: number;
}

export interface ImageResult {
  /** PNG files, one per requested image */
  readonly images: readonly Uint8Array[];
  readonly timings: ImageTimings;
}

export interface TextRequest {
  readonly model: string;
  readonly prompt: string;
  readonly maxTokens: number;
  readonly temperature: number;
  readonly topP: number;
  readonly seed: number;
  /** generation stops before emitting any of these strings */
  readonly stop: readonly string[];
}

export interface TokenEvent {
  /** decoded text of this token (may be '' for a partial UTF-8 sequence) */
  readonly text: string;
  readonly index: number;
}

export interface TextTimings {
  readonly queueMs: number;
  readonly prefillMs: number;
  readonly decodeMs: number;
  /** time from admission to the first generated token */
  readonly ttftMs: number;
  readonly totalMs: number;
  readonly meanBatchSize: number;
}

export type FinishReason = 'stop' | 'length' | 'cancelled';

export interface TextResult {
  readonly text: string;
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly finishReason: FinishReason;
  readonly timings: TextTimings;
}

/** Events an engine reports so the HTTP layer can keep Prometheus metrics. */
export interface EngineObserver {
  /** one batched model call: denoiser step, decode step, prefill, encoder, vae */
  onBatch?(e: { model: string; stage: string; batchSize: number; durationMs: number; workerId: number }): void;
  onTokens?(e: { model: string; prompt: number; generation: number }): void;
  onWorkerCrash?(e: { workerId: number; reason: string }): void;
}

export interface EngineStats {
  /** requests waiting for a first slot, per model */
  readonly waiting: Readonly<Record<string, number>>;
  /** requests being computed, per model */
  readonly running: Readonly<Record<string, number>>;
  /** busy time per worker since start, ms */
  readonly workerBusyMs: readonly number[];
}

export interface Engine {
  readonly kind: EngineKind;
  /** execution provider in use after any fallback: 'cpu', 'cuda', 'webgpu', or 'sim' */
  readonly provider: string;
  models(): readonly ModelCard[];
  /** load models and run warm-up; resolves when the engine can serve */
  start(): Promise<void>;
  generateImages(req: ImageRequest, signal: AbortSignal): Promise<ImageResult>;
  generateText(req: TextRequest, signal: AbortSignal, onToken: (t: TokenEvent) => void): Promise<TextResult>;
  stats(): EngineStats;
  /** stop accepting, let running work finish up to deadlineMs, then free workers */
  close(deadlineMs: number): Promise<void>;
}

/** Errors an engine may throw; the HTTP layer maps `code` to a status. */
export class EngineError extends Error {
  constructor(
    readonly code:
      'cancelled' | 'deadline_exceeded' | 'worker_crashed' | 'invalid_request' | 'internal' | 'injected_fault',
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

/**
 * What lib/server/onnx/engine.ts exports as `createOnnxEngine`: main.ts calls it
 * with the resolved, frozen server config (provider, workers, batching, ...) and
 * the metrics observer, then awaits `start()` before marking the server ready.
 */
export type EngineFactory = (config: Readonly<ServerConfig>, observer: EngineObserver) => Engine | Promise<Engine>;
