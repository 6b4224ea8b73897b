// The server's config -> the onnx engine's options: the one place the HTTP side
// and the ONNX Runtime side meet (main.ts loads this lazily, because it pulls in
// onnxruntime-node and the worker bundle).
import type { ServerConfig } from '../config/schema.ts';
import type { Engine, EngineObserver } from '../engine/types.ts';
import { createOnnxEngine } from './engine.ts';

export function createOnnxEngineFromConfig(config: Readonly<ServerConfig>, observer: EngineObserver): Engine {
  return createOnnxEngine({
    provider: config.provider,
    workers: config.workers,
    threadsPerWorker: config.onnx.threadsPerWorker,
    workerNice: config.onnx.workerNice,
    maxBatchSize: config.batching.maxBatchSize,
    maxQueueDelayMs: config.batching.maxQueueDelayMs,
    preset: config.onnx.preset,
    // [] = the provider's defaults (engine.ts defaultPrecisions)
    ...(config.onnx.precisions.length > 0 ? { precisions: config.onnx.precisions } : {}),
    observer,
  });
}
