// A fixed number of model-host workers. Each request gets a promise that
// settles with the worker's reply; a worker that dies fails its in-flight
// requests with EngineError 'worker_crashed', is reported, and is replaced by
// a fresh worker with the same id (its LLM KV caches are lost with it).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
// Workers encode PNGs with sharp. Loaded here too so the process, not the first
// worker that exits, holds libvips: with glibc a worker's exit would otherwise
// unload the shared library under the others (sharp's worker-thread notes).
import 'sharp';
import { EngineError } from '../engine/types.ts';
import {
  transferList,
  type PngResult,
  type TensorData,
  type WorkerInit,
  type WorkerReply,
  type WorkerRequest,
} from './protocol.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const WORKER_SCRIPT = join(repoRoot, '.build', 'workers', 'model-host.worker.js');

export interface RunReply {
  readonly runMs: number;
  readonly outputs: Readonly<Record<string, TensorData>>;
  /** set when the request asked for PNG post-processing */
  readonly pngs?: PngResult;
}

type Pending = { resolve: (r: RunReply) => void; reject: (e: Error) => void };
type Request = WorkerRequest & { kind: 'run' | 'llm-step' };
type RequestBody = Request extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
  ready: Promise<void>;
  alive: boolean;
  /** set by kill(): replies are dropped from then on, and this is the reason reported */
  killedBecause?: string;
  exited: Promise<void>;
}

export interface PoolEvents {
  onCrash(workerId: number, reason: string): void;
  /** a replacement worker is ready (after a crash) */
  onReplaced(workerId: number): void;
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private closing = false;
  provider = 'cpu';
  fallbackReason: string | undefined;

  constructor(
    private readonly inits: readonly WorkerInit[],
    private readonly events: PoolEvents,
  ) {
    if (!existsSync(WORKER_SCRIPT))
      throw new EngineError('internal', `worker script: missing ${WORKER_SCRIPT}; run make build`);
    for (const init of inits) this.slots.push(this.spawn(init));
  }

  get size(): number {
    return this.slots.length;
  }

  isAlive(workerId: number): boolean {
    return this.slots[workerId]!.alive;
  }

  /** resolves when every worker has loaded its sessions */
  async ready(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.ready));
  }

  request(workerId: number, body: RequestBody): Promise<RunReply> {
    const slot = this.slots[workerId]!;
    if (!slot.alive) return Promise.reject(new EngineError('worker_crashed', `worker ${workerId} is restarting`));
    const id = this.nextId++;
    const msg = { ...body, id } as Request;
    return new Promise<RunReply>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      const tensors = msg.kind === 'run' ? Object.values(msg.feeds) : [];
      slot.worker.postMessage(msg, transferList(tensors));
    });
  }

  /** fire and forget (freeing KV caches, the crash hook) */
  post(workerId: number, msg: WorkerRequest): void {
    const slot = this.slots[workerId]!;
    if (slot.alive) slot.worker.postMessage(msg);
  }

  /**
   * Fault injection: a worker dies in the middle of its current model call if
   * it has one (else worker 0): its in-flight replies are dropped from now on
   * and it is told to crash (an uncaught error in its own JS, after the call
   * returns: terminating it inside ORT's native code can abort the process). It
   * is reported and replaced like any crash. Returns the worker id, or -1.
   */
  kill(reason: string, workerId?: number): number {
    const id =
      workerId ??
      Math.max(
        0,
        this.slots.findIndex((s) => s.alive && s.pending.size > 0),
      );
    const slot = this.slots[id];
    if (!slot?.alive || slot.killedBecause !== undefined) return -1;
    slot.killedBecause = reason;
    slot.worker.postMessage({ kind: 'crash' } satisfies WorkerRequest);
    return id;
  }

  /** asks every worker to exit between two model calls; terminates the ones still there after graceMs */
  async close(graceMs = 5000): Promise<void> {
    this.closing = true;
    for (const s of this.slots) s.worker.postMessage({ kind: 'exit' } satisfies WorkerRequest);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), graceMs)));
    const ended = await Promise.race([Promise.all(this.slots.map((s) => s.exited)), late]);
    clearTimeout(timer);
    if (ended === 'late') await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(init: WorkerInit): Slot {
    // execArgv []: the parent's --import tsx must not load inside the worker (the bundle is plain JS)
    const worker = new Worker(WORKER_SCRIPT, { workerData: init, execArgv: [] });
    const slot: Slot = {
      worker,
      pending: new Map(),
      ready: Promise.resolve(),
      alive: false,
      exited: new Promise((r) => worker.once('exit', () => r())),
    };
    slot.ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (reply: WorkerReply) => {
        if (reply.kind === 'ready') {
          slot.alive = true;
          this.provider = reply.provider;
          this.fallbackReason = reply.fallbackReason;
          resolve();
        } else if (reply.kind === 'init-error')
          reject(new EngineError('internal', `worker ${init.workerId}: loading models failed; reason: ${reply.error}`));
        else if (slot.killedBecause === undefined) {
          const p = slot.pending.get(reply.id);
          slot.pending.delete(reply.id);
          if (reply.kind === 'result')
            p?.resolve(
              reply.pngs === undefined
                ? { runMs: reply.runMs, outputs: reply.outputs }
                : { runMs: reply.runMs, outputs: reply.outputs, pngs: reply.pngs },
            );
          else p?.reject(new EngineError('internal', `inference failed; reason: ${reply.error}`));
        }
      });
      worker.on('error', (err) => this.died(init, slot, slot.killedBecause ?? err.message, reject));
      worker.on('exit', (code) => this.died(init, slot, slot.killedBecause ?? `exited with code ${code}`, reject));
    });
    slot.ready.catch(() => {}); // observed through ready(); avoid an unhandled rejection on replacement
    return slot;
  }

  private died(init: WorkerInit, slot: Slot, reason: string, rejectReady: (e: Error) => void): void {
    if (this.slots[init.workerId] !== slot) return; // already replaced ('error' is followed by 'exit')
    const wasAlive = slot.alive;
    slot.alive = false;
    rejectReady(new EngineError('internal', `worker ${init.workerId} died while loading: ${reason}`));
    for (const p of slot.pending.values())
      p.reject(new EngineError('worker_crashed', `worker ${init.workerId} crashed: ${reason}`));
    slot.pending.clear();
    if (this.closing || !wasAlive) return;
    this.events.onCrash(init.workerId, reason);
    const fresh = this.spawn(init);
    this.slots[init.workerId] = fresh;
    fresh.ready.then(() => this.events.onReplaced(init.workerId)).catch(() => {});
  }
}
