// Watches the target while a step runs, so a target that goes down stops the
// search within seconds instead of after a step full of connection errors.
// Any HTTP answer means up (an overloaded target may answer 429 or 503);
// connection refused/reset counts at once, a timeout only when it repeats
// (an overloaded target may be slow to answer its probe).

export interface WatchOptions {
  url: string;
  /** probe period, ms */
  periodMs?: number;
  /** consecutive connection failures that mean down */
  refusedLimit?: number;
  /** consecutive timeouts that mean down */
  timeoutLimit?: number;
  onDown(reason: string): void;
  fetchImpl?: typeof fetch;
}

export interface Watch {
  stop(): void;
  readonly down: boolean;
  readonly reason: string | undefined;
}

const REFUSED = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'UND_ERR_SOCKET',
]);

/** One probe: 'up', 'refused' or 'timeout', with a short reason. */
export async function probeOnce(
  url: string,
  timeoutMs: number,
  fetchImpl: typeof fetch = fetch,
): Promise<{ state: 'up' | 'refused' | 'timeout'; reason: string }> {
  try {
    const res = await fetchImpl(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    await res.body?.cancel();
    return { state: 'up', reason: `HTTP ${res.status}` };
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const code = cause?.code ?? (err as { name?: string }).name ?? 'error';
    if (REFUSED.has(code)) return { state: 'refused', reason: code };
    return {
      state: 'timeout',
      reason: code === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (cause?.message ?? (err as Error).message),
    };
  }
}

export function watchTarget(opts: WatchOptions): Watch {
  const periodMs = opts.periodMs ?? 1000;
  const refusedLimit = opts.refusedLimit ?? 2;
  const timeoutLimit = opts.timeoutLimit ?? 5;
  let refused = 0;
  let timeouts = 0;
  let stopped = false;
  let down = false;
  let reason: string | undefined;
  let timer: NodeJS.Timeout | undefined;

  const tick = async (): Promise<void> => {
    if (stopped) return;
    const p = await probeOnce(opts.url, periodMs, opts.fetchImpl);
    if (stopped) return;
    refused = p.state === 'refused' ? refused + 1 : 0;
    timeouts = p.state === 'timeout' ? timeouts + 1 : 0;
    if (refused >= refusedLimit || timeouts >= timeoutLimit) {
      down = true;
      reason = `${opts.url}: ${p.reason} (${Math.max(refused, timeouts)} probes in a row)`;
      stopped = true;
      opts.onDown(reason);
      return;
    }
    timer = setTimeout(() => void tick(), periodMs);
  };
  timer = setTimeout(() => void tick(), periodMs);
  return {
    stop: () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    },
    get down() {
      return down;
    },
    get reason() {
      return reason;
    },
  };
}
