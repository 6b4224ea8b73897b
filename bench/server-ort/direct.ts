// The baseline: the same worker configuration (workers × threads, same model
// files, same worker script) driven directly, one model call at a time per
// worker (no batching), with no scheduler, sampling or PNG. The engine's or the
// HTTP server's throughput divided by this is its efficiency ("≥ 0.9 of direct").
//
// Each measurement also reports the workers' share of the window spent inside
// ORT (sum of the run times they report / (window × workers)): on this loaded
// VM a message round trip between two calls took 1.7-3 ms median (50-70 µs on
// a quiet machine), so the loop is not a compute ceiling; see ortBusyShare.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { modelSpec } from '../../lib/server/models/catalog.ts';
import { ensureModel } from '../../lib/server/models/cache.ts';
import type { BuildPrecision } from '../../lib/server/models/layers.ts';
import { presets, type SizePreset } from '../../lib/server/models/presets.ts';
import { WorkerPool } from '../../lib/server/onnx/pool.ts';
import type { WorkerInit } from '../../lib/server/onnx/protocol.ts';
import { BOS } from '../../lib/server/pipelines/tokenizer.ts';

export interface DirectSetup {
  readonly preset: SizePreset;
  readonly precision: BuildPrecision;
  readonly workers: number;
  readonly threads: number;
  readonly steps: number;
  readonly sizePx: number;
  readonly maxTokens: number;
}

export interface DirectOptions extends DirectSetup {
  readonly kind: 'image' | 'text';
  readonly seconds: number;
}

export interface DirectResult {
  /** images/s or tokens/s */
  readonly perSecond: number;
  /** share of the window the workers spent inside ORT (0..1) */
  readonly ortBusyShare: number;
}

export interface DirectLoop {
  measure(kind: 'image' | 'text', seconds: number): Promise<DirectResult>;
  close(): Promise<void>;
}

/** a pool with both model families loaded and warmed up, measured on demand */
export async function openDirect(o: DirectSetup): Promise<DirectLoop> {
  const sessions = (['tiny-sd', 'tiny-llm'] as const).flatMap((f) =>
    ensureModel(modelSpec(f, o.precision, o.preset)).map((g) => ({ key: g.graph, path: g.path })),
  );
  const l = presets[o.preset].llm;
  const d = presets[o.preset].diffusion;
  const inits: WorkerInit[] = Array.from({ length: o.workers }, (_, workerId) => ({
    workerId,
    provider: 'cpu',
    threads: o.threads,
    sessions,
    llm: { decoder: { layers: l.layers, heads: l.heads, headDim: l.dModel / l.heads } },
  }));
  const pool = new WorkerPool(inits, { onCrash: () => {}, onReplaced: () => {} });
  await pool.ready();
  const side = o.sizePx / 8;
  const f32 = (dims: number[]) => ({
    type: 'float32' as const,
    dims,
    data: new Float32Array(dims.reduce((a, b) => a * b, 1)).fill(0.1),
  });
  let seqId = 1;
  let runMs = 0;
  const call = async (w: number, body: Parameters<WorkerPool['request']>[1]) => {
    runMs += (await pool.request(w, body)).runMs;
  };
  const oneRequest = async (kind: 'image' | 'text', w: number): Promise<number> => {
    if (kind === 'image') {
      await call(w, {
        kind: 'run',
        session: 'text_encoder',
        feeds: {
          input_ids: {
            type: 'int64',
            dims: [2, d.textTokens],
            data: new BigInt64Array(2 * d.textTokens).fill(BigInt(BOS)),
          },
        },
        outputs: ['context'],
      });
      for (let s = 0; s < o.steps; s++) {
        await call(w, {
          kind: 'run',
          session: 'denoiser',
          feeds: {
            latent: f32([2, d.latentChannels, side, side]),
            timestep: f32([2]),
            context: f32([2, d.textTokens, d.textDim]),
          },
          outputs: ['noise'],
        });
      }
      await call(w, {
        kind: 'run',
        session: 'vae_decoder',
        feeds: { latent: f32([1, d.latentChannels, side, side]) },
        outputs: ['image'],
      });
      return 1;
    }
    const id = seqId++;
    await call(w, {
      kind: 'llm-step',
      session: 'decoder',
      seqs: [{ seqId: id, tokens: [BOS, ...Array.from('Once upon a time', (c) => c.charCodeAt(0))] }],
    });
    for (let t = 1; t < o.maxTokens; t++)
      await call(w, { kind: 'llm-step', session: 'decoder', seqs: [{ seqId: id, tokens: [65] }] });
    pool.post(w, { kind: 'llm-free', seqIds: [id] });
    return o.maxTokens;
  };
  for (const kind of ['image', 'text'] as const)
    await Promise.all(Array.from({ length: o.workers }, (_, w) => oneRequest(kind, w))); // warm-up
  return {
    async measure(kind, seconds) {
      const endAt = performance.now() + seconds * 1000;
      let units = 0;
      runMs = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: o.workers }, async (_, w) => {
          while (performance.now() < endAt) units += await oneRequest(kind, w);
        }),
      );
      const elapsedMs = performance.now() - started;
      return { perSecond: units / (elapsedMs / 1000), ortBusyShare: runMs / (elapsedMs * o.workers) };
    },
    close: () => pool.close(),
  };
}

/** images/s or tokens/s of the direct loop (opens and closes its own pool) */
export async function directThroughput(o: DirectOptions): Promise<number> {
  const loop = await openDirect(o);
  const { perSecond } = await loop.measure(o.kind, o.seconds);
  await loop.close();
  return perSecond;
}

/**
 * The direct loop in a child process of its own session (detached), as the
 * server runs: with the kernel's autogroup scheduling each session gets its own
 * share of the CPU, so both sides compete with other jobs on equal terms. The
 * pool stays loaded between measurements.
 */
export async function openDirectIsolated(o: DirectSetup): Promise<DirectLoop> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), JSON.stringify(o)], {
    detached: true,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const nextLine = async (): Promise<string> => {
    const line = await lines.next();
    if (line.done) throw new Error('direct loop child: ended without an answer');
    return line.value;
  };
  await nextLine(); // loaded and warm
  return {
    measure(kind, seconds) {
      child.stdin.write(`${JSON.stringify({ kind, seconds })}\n`);
      return nextLine().then((l) => JSON.parse(l) as DirectResult);
    },
    async close() {
      const exited = new Promise((r) => child.once('exit', r));
      child.stdin.end();
      await exited;
    },
  };
}

// child mode: argv[2] = DirectSetup; stdin lines {kind, seconds} -> stdout lines DirectResult
if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2]) {
  const loop = await openDirect(JSON.parse(process.argv[2]) as DirectSetup);
  console.log('ready');
  for await (const line of createInterface({ input: process.stdin })) {
    const { kind, seconds } = JSON.parse(line) as { kind: 'image' | 'text'; seconds: number };
    console.log(JSON.stringify(await loop.measure(kind, seconds)));
  }
  await loop.close();
}
