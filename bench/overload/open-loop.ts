// An open-loop HTTP client: request starts are scheduled at a fixed rate and
// never wait for earlier responses (as k6's constant-arrival-rate, without a
// VU cap), so an overloaded server cannot slow the offered load down. Each
// request is recorded (start, latency, status, Retry-After); the client's own
// lateness is recorded too, so a client that fell behind is visible.
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface Outcome {
  /** start time, ms since the client's origin */
  readonly startMs: number;
  readonly latencyMs: number;
  /** HTTP status, or 0 for a network error */
  readonly status: number;
  readonly retryAfter: string | undefined;
}

export interface Phase {
  readonly name: string;
  readonly rateRps: number;
  readonly durationSeconds: number;
}

export interface OpenLoopResult {
  readonly outcomes: Outcome[];
  /** phase boundaries, ms since origin */
  readonly phases: { name: string; startMs: number; endMs: number; rateRps: number }[];
  /** how late request starts were against their schedule (p99, max), ms */
  readonly lateP99Ms: number;
  readonly lateMaxMs: number;
}

export interface OpenLoopOptions {
  readonly url: string;
  readonly body: string;
  readonly phases: readonly Phase[];
  /** the time base for outcomes; performance.now() at the start by default */
  readonly originMs?: number;
  /** called once per second with the phase name (for progress output) */
  readonly onSecond?: (phase: string, second: number) => void;
}

/** Runs the phases back to back; resolves when every request has finished. */
export async function runOpenLoop(opts: OpenLoopOptions): Promise<OpenLoopResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 2048 });
  const target = new URL(opts.url);
  const origin = opts.originMs ?? performance.now();
  const outcomes: Outcome[] = [];
  const lateness: number[] = [];
  const pending = new Set<Promise<void>>();
  const phases: OpenLoopResult['phases'] = [];

  const fire = (): void => {
    const t0 = performance.now();
    const p = new Promise<void>((resolveDone) => {
      const req = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(opts.body) },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            const retry = res.headers['retry-after'];
            outcomes.push({
              startMs: t0 - origin,
              latencyMs: performance.now() - t0,
              status: res.statusCode ?? 0,
              retryAfter: Array.isArray(retry) ? retry[0] : retry,
            });
            resolveDone();
          });
        },
      );
      req.setTimeout(30_000, () => req.destroy(new Error('client timeout')));
      req.on('error', () => {
        outcomes.push({ startMs: t0 - origin, latencyMs: performance.now() - t0, status: 0, retryAfter: undefined });
        resolveDone();
      });
      req.end(opts.body);
    });
    pending.add(p);
    void p.then(() => pending.delete(p));
  };

  for (const phase of opts.phases) {
    const startMs = performance.now() - origin;
    const intervalMs = 1000 / phase.rateRps;
    const count = Math.round(phase.rateRps * phase.durationSeconds);
    let sent = 0;
    let lastSecond = -1;
    // fire every start that is due, then sleep until the next one; bounded by count
    while (sent < count) {
      const now = performance.now() - origin;
      const dueMs = startMs + sent * intervalMs;
      if (now >= dueMs) {
        lateness.push(now - dueMs);
        fire();
        sent++;
        continue;
      }
      const second = Math.floor((now - startMs) / 1000);
      if (second !== lastSecond) {
        lastSecond = second;
        opts.onSecond?.(phase.name, second);
      }
      await new Promise((r) => setTimeout(r, Math.max(0, Math.min(dueMs - now, 50) - 0.5)));
    }
    // wait out the phase's last interval so the next phase starts on time
    const endMs = startMs + phase.durationSeconds * 1000;
    const waitMs = endMs - (performance.now() - origin);
    if (waitMs > 0) await new Promise((r) => setTimeout(r, waitMs));
    phases.push({ name: phase.name, startMs, endMs: performance.now() - origin, rateRps: phase.rateRps });
  }
  await Promise.all(pending);
  agent.destroy();
  lateness.sort((a, b) => a - b);
  return {
    outcomes: outcomes.sort((a, b) => a.startMs - b.startMs),
    phases,
    lateP99Ms: lateness[Math.floor(lateness.length * 0.99)] ?? 0,
    lateMaxMs: lateness[lateness.length - 1] ?? 0,
  };
}
