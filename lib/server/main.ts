// The reference server's entry point, and the only file that listens.
//   node --import tsx lib/server/main.ts --engine sim --port 8000
// stdout carries one JSON line per lifecycle event (config, listening, ready,
// draining, stopped); the CLI waits for {"event":"listening"} and then /ready.
// Exit codes (lib/shared/exit-codes.ts): 0 clean shutdown, 2 invalid config (also a
// non-loopback --host without --api-key or --allow-unauthenticated-remote true),
// 8 engine could not be created or the port not bound, 130 a second
// SIGINT/SIGTERM while draining. An engine that fails to start (models that
// cannot load) does not exit: {"event":"start-failed"}, /ready stays 503 with the reason.
import { performance } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import { ExitCode } from '../shared/exit-codes.ts';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig, redactConfig } from './config/load.ts';
import type { ServerConfig } from './config/schema.ts';
import { withFaults } from './engine/faults.ts';
import type { Engine, EngineFactory, EngineObserver } from './engine/types.ts';
import { Lifecycle } from './http/lifecycle.ts';
import { createMetrics } from './metrics/metrics.ts';
import { createSimEngine } from './sim/engine.ts';

const emit = (event: string, fields: Record<string, unknown> = {}): void => {
  process.stdout.write(`${JSON.stringify({ event, timeMs: Date.now(), ...fields })}\n`);
};

/** the engine to serve, and why its provider was replaced by cpu (known after start) */
interface Built {
  readonly engine: Engine;
  fallbackReason(): string | undefined;
}

async function createEngine(config: Readonly<ServerConfig>, observer: EngineObserver): Promise<Built> {
  if (config.engine === 'sim')
    return { engine: createSimEngine(config.sim, config.faults, observer), fallbackReason: () => undefined };
  // loaded lazily: the onnx engine pulls in onnxruntime-node and its worker bundles
  const path = './onnx/from-config.ts';
  let mod: { createOnnxEngineFromConfig?: EngineFactory };
  try {
    mod = (await import(path)) as typeof mod;
  } catch (err) {
    throw new Error(
      `loading the onnx engine (${path}) failed; reason: ${(err as Error).message}; start with --engine sim to use the simulated engine`,
    );
  }
  if (typeof mod.createOnnxEngineFromConfig !== 'function')
    throw new Error(`${path} does not export createOnnxEngineFromConfig`);
  const onnx = (await mod.createOnnxEngineFromConfig(config, observer)) as Engine & {
    fallbackReason?: string;
    killBusyWorker?(reason: string): number;
    holdWorker?(signal: AbortSignal): Promise<void>;
  };
  const engine = withFaults(onnx, config.faults, {
    crash: () => {
      const workerId = onnx.killBusyWorker?.('crash injected by faults.crashAfterRequests') ?? -1;
      emit('fault-crash', { workerId });
    },
    // a stalled request holds a worker until its deadline or its client leaves
    hold: async (signal) => onnx.holdWorker?.(signal),
  });
  return { engine, fallbackReason: () => onnx.fallbackReason };
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
  let built: Built;
  try {
    built = await createEngine(config, metrics.observer);
  } catch (err) {
    emit('failed', { reason: (err as Error).message });
    process.exit(ExitCode.ServerFailed);
  }
  const engine = built.engine;
  const app = buildApp(config, engine, { lifecycle, metrics });

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) {
      emit('forced', { signal });
      process.exit(ExitCode.Interrupted);
    }
    stopping = true;
    const startMs = performance.now();
    emit('draining', { signal, inFlight: lifecycle.inFlight, deadlineMs: config.shutdownDeadlineMs });
    // admitted requests and accepted jobs (queued ones too) finish; past the deadline they are cancelled (503, jobs failed)
    const idle = await lifecycle.drain(config.shutdownDeadlineMs);
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
    // models that cannot load (a corrupt cached file, a provider error, ...): stay up and
    // say why, so /health answers 200 and /ready answers 503 with the reason
    const reason = `engine start failed; reason: ${(err as Error).message}`;
    lifecycle.markNotReady(reason);
    emit('start-failed', { reason });
    return;
  }
  const fallback = built.fallbackReason();
  if (fallback !== undefined)
    emit('provider-fallback', { requested: config.provider, using: engine.provider, reason: fallback });
  if (!stopping) lifecycle.markReady();
  // the models actually served (onnx.precisions [] means: chosen by provider)
  emit('ready', {
    engine: engine.kind,
    provider: engine.provider,
    models: engine.models().map((m) => m.id),
    startMs: Math.round(performance.now() - startMs),
  });
}

await main();
