// Is anything answering at the target? One HTTP GET with a short timeout, retried
// until a deadline: any HTTP status counts as reachable (readiness is the
// scenario's business); connection refused, DNS failure or timeout do not.

export interface ProbeResult {
  readonly reachable: boolean;
  readonly status?: number;
  readonly error?: string;
  readonly elapsedMs: number;
}

export async function probeUrl(url: string, deadlineMs: number, attemptTimeoutMs = 1000): Promise<ProbeResult> {
  const started = performance.now();
  let lastError = 'no attempt made';
  for (let attempt = 0; attempt < 50 && performance.now() - started < deadlineMs; attempt++) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(attemptTimeoutMs), redirect: 'manual' });
      await res.body?.cancel();
      return { reachable: true, status: res.status, elapsedMs: performance.now() - started };
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      lastError = cause?.code ?? cause?.message ?? (err as Error).message;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return { reachable: false, error: lastError, elapsedMs: performance.now() - started };
}

/** Poll until `url` answers 200, up to deadlineMs. Returns the last status/error text when it never does. */
export async function waitForReady(
  url: string,
  deadlineMs: number,
  isAlive: () => boolean = () => true,
): Promise<{ ready: boolean; last: string }> {
  const started = performance.now();
  let last = 'not probed';
  for (let attempt = 0; attempt < 10_000 && performance.now() - started < deadlineMs && isAlive(); attempt++) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      last = `HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`;
      if (res.status === 200) return { ready: true, last };
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause;
      last = cause?.code ?? (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { ready: false, last };
}
