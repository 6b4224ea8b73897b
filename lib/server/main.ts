// The reference server's entry point, and the only file that listens.
//   node --import tsx lib/server/main.ts --engine sim --port 8000
// stdout carries one JSON line per lifecycle event (config, listening, ready,
// draining, stopped); the CLI waits for {"event":"listening"} and then /ready.
// Exit codes (lib/shared/exit-codes.ts): 0 clean shutdown, 2 invalid config,
// 8 engine or listener failed, 130 a second SIGINT/SIGTERM while draining.
import { performance } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import { ExitCode } from '../shared/exit-codes.ts';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig, redactConfig } from './config/load.ts';
import type { ServerConfig } from './config/schema.ts';
import type { Engine, EngineFactory, EngineObserver } from './engine/types.ts';
import { Lifecycle } from './http/lifecycle.ts';
import { createMetrics } from './metrics/metrics.ts';
import { createSimEngine } from './sim/engine.ts';

const emit = (event: string, fields: Record<string, unknown> = {}): void => {
  process.stdout.write(`${JSON.stringify({ event, timeMs: Date.now(), ...fields })}\n`);
};

async function createEngine(config: Readonly<ServerConfig>, observer: EngineObserver): Promise<Engine> {
  if (config.engine === 'sim') return createSimEngine(config.sim, config.faults, observer);
  // loaded lazily: the onnx engine pulls in onnxruntime-node and its worker bundles
  const path = './onnx/from-config.ts';
  let mod: { createOnnxEngineFromConfig?: EngineFactory };
  try {
    mod = (await import(path)) as typeof mod;
  } catch (err) {
    throw new Error(`loading the onnx engine (${path}) failed; reason: ${(err as Error).message}; start with --engine sim to use the simulated engine`);
  }
  if (typeof mod.createOnnxEngineFromConfig !== 'function') throw new Error(`${path} does not export createOnnxEngineFromConfig`);
  const engine = await mod.createOnnxEngineFromConfig(config, observer);
  const fallback = (engine as { fallbackReason?: string }).fallbackReason;
  if (fallback !== undefined) emit('provider-fallback', { requested: config.provider, using: engine.provider, reason: fallback });
  return engine;
}

async function main(): Promise<void> {
  let config: Readonly<ServerConfig>;
  try {
    config = loadConfig({ argv: process.argv.slice(2), env: process.env });
  } catch (err) {
    process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
    process.exit(ExitCode.ConfigInvalid);
  }
  emit('config', { config: redactConfig(config) });

  const lifecycle = new Lifecycle();
  const metrics = createMetrics();
  let engine: Engine;
  try {
    engine = await createEngine(config, metrics.observer);
  } catch (err) {
    emit('failed', { reason: (err as Error).message });
    process.exit(ExitCode.ServerFailed);
  }
  const app = buildApp(config, engine, { lifecycle, metrics });

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) {
      emit('forced', { signal });
      process.exit(ExitCode.Interrupted);
    }
    stopping = true;
    const startMs = performance.now();
    lifecycle.beginDrain();
    emit('draining', { signal, inFlight: lifecycle.inFlight, deadlineMs: config.shutdownDeadlineMs });
    const idle = await lifecycle.waitIdle(config.shutdownDeadlineMs);
    if (!idle) {
      // cancel what is left; give the handlers a moment to answer 503
      lifecycle.abortInFlight();
      await lifecycle.waitIdle(1000);
    }
    await engine.close(Math.max(0, config.shutdownDeadlineMs - (performance.now() - startMs)));
    await app.close();
    emit('stopped', { drained: idle, durationMs: Math.round(performance.now() - startMs) });
    process.exit(ExitCode.Passed);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    emit('failed', { reason: `listening on ${config.host}:${config.port} failed; reason: ${(err as Error).message}` });
    process.exit(ExitCode.ServerFailed);
  }
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  emit('listening', { url: `http://${host}:${address.port}`, port: address.port, engine: engine.kind });

  const startMs = performance.now();
  try {
    await engine.start();
  } catch (err) {
    lifecycle.markNotReady(`engine start failed: ${(err as Error).message}`);
    emit('failed', { reason: `engine start failed; reason: ${(err as Error).message}` });
    await app.close();
    process.exit(ExitCode.ServerFailed);
  }
  if (!stopping) lifecycle.markReady();
  emit('ready', { engine: engine.kind, provider: engine.provider, startMs: Math.round(performance.now() - startMs) });
}

await main();
