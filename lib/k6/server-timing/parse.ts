// Server timings: the Server-Timing header (`queue;dur=1.2, denoise;dur=80`)
// and the reference server's `timings` JSON object (`{queue_ms: 1.2, ...}`)
// carry the same numbers in milliseconds. Both parse into ServerTimings.
// Pure: no k6 imports, unit-tested in Node.

/** Stage durations the server reported, milliseconds. Absent when the server did not send it. */
export interface ServerTimings {
  queueMs?: number;
  totalMs?: number;
  /** image: text encoder; text: prefill */
  encodeMs?: number;
  prefillMs?: number;
  denoiseMs?: number;
  /** per-step mean of the denoising loop */
  stepMs?: number;
  decodeMs?: number;
  pngMs?: number;
  ttftMs?: number;
}

const FIELD_BY_NAME: Readonly<Record<string, keyof ServerTimings>> = {
  queue: 'queueMs',
  total: 'totalMs',
  encode: 'encodeMs',
  prefill: 'prefillMs',
  denoise: 'denoiseMs',
  step: 'stepMs',
  decode: 'decodeMs',
  png: 'pngMs',
  ttft: 'ttftMs',
};

/** Parses a Server-Timing header value (RFC: comma-separated `name;dur=ms;desc="..."`). Unknown names are ignored. */
export function parseServerTimingHeader(header: string | undefined): ServerTimings {
  const out: ServerTimings = {};
  if (header === undefined || header === '') return out;
  for (const entry of header.split(',')) {
    const [rawName, ...params] = entry.split(';');
    const field = FIELD_BY_NAME[(rawName ?? '').trim().toLowerCase()];
    if (field === undefined) continue;
    for (const p of params) {
      const eq = p.indexOf('=');
      if (eq < 0 || p.slice(0, eq).trim().toLowerCase() !== 'dur') continue;
      const ms = Number(p.slice(eq + 1).trim().replace(/^"|"$/g, ''));
      if (Number.isFinite(ms)) out[field] = ms;
    }
  }
  return out;
}

/** Reads a `timings` object of `<name>_ms` numbers (the reference server's JSON form). */
export function parseTimingsJson(value: unknown): ServerTimings {
  const out: ServerTimings = {};
  if (value === null || typeof value !== 'object') return out;
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (!key.endsWith('_ms') || typeof v !== 'number' || !Number.isFinite(v)) continue;
    const field = FIELD_BY_NAME[key.slice(0, -3)];
    if (field !== undefined) out[field] = v;
  }
  return out;
}

/** Header lookup ignoring case (k6/http canonicalises names, servers do not agree). */
export function headerValue(headers: Readonly<Record<string, string>> | undefined, name: string): string | undefined {
  if (headers === undefined) return undefined;
  const direct = headers[name];
  if (direct !== undefined) return direct;
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/** Model time: total minus queue, when both are known. */
export function inferenceMs(t: ServerTimings): number | undefined {
  return t.totalMs !== undefined && t.queueMs !== undefined ? Math.max(0, t.totalMs - t.queueMs) : undefined;
}
