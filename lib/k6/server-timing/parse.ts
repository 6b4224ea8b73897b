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

// Indexed loops and no regular expressions below: these run on every request
// inside k6's interpreter, where for-of, destructuring and regexes are slow.

/** Parses a Server-Timing header value (RFC: comma-separated `name;dur=ms;desc="..."`). Unknown names are ignored. */
export function parseServerTimingHeader(header: string | undefined): ServerTimings {
  const out: ServerTimings = {};
  if (header === undefined || header === '') return out;
  const entries = header.split(',');
  for (let i = 0; i < entries.length; i++) {
    const params = (entries[i] ?? '').split(';');
    const field = FIELD_BY_NAME[(params[0] ?? '').trim().toLowerCase()];
    if (field === undefined) continue;
    for (let j = 1; j < params.length; j++) {
      const p = params[j] ?? '';
      const eq = p.indexOf('=');
      if (eq < 0 || p.slice(0, eq).trim().toLowerCase() !== 'dur') continue;
      let raw = p.slice(eq + 1).trim();
      if (raw.startsWith('"')) raw = raw.slice(1);
      if (raw.endsWith('"')) raw = raw.slice(0, -1);
      const ms = Number(raw);
      if (Number.isFinite(ms)) out[field] = ms;
    }
  }
  return out;
}

/** Reads a `timings` object of `<name>_ms` numbers (the reference server's JSON form). */
export function parseTimingsJson(value: unknown): ServerTimings {
  const out: ServerTimings = {};
  if (value === null || typeof value !== 'object') return out;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] ?? '';
    const v = record[key];
    if (!key.endsWith('_ms') || typeof v !== 'number' || !Number.isFinite(v)) continue;
    const field = FIELD_BY_NAME[key.slice(0, -3)];
    if (field !== undefined) out[field] = v;
  }
  return out;
}

/** Go's canonical form of a header name (server-timing -> Server-Timing), remembered per name. */
const canonicalNames = new Map<string, string>();
function canonicalName(name: string): string {
  let c = canonicalNames.get(name);
  if (c === undefined) {
    c = name
      .toLowerCase()
      .split('-')
      .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
      .join('-');
    canonicalNames.set(name, c);
  }
  return c;
}

/**
 * Header lookup ignoring case. k6/http and the sse extension hand over Go's
 * canonical names (Server-Timing), tried second; the scan over every name
 * (servers and fakes do not agree) runs only when both direct lookups miss.
 */
export function headerValue(headers: Readonly<Record<string, string>> | undefined, name: string): string | undefined {
  if (headers === undefined) return undefined;
  const direct = headers[name];
  if (direct !== undefined) return direct;
  const canonical = headers[canonicalName(name)];
  if (canonical !== undefined) return canonical;
  const lower = name.toLowerCase();
  const keys = Object.keys(headers);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] ?? '';
    if (k.toLowerCase() === lower) return headers[k];
  }
  return undefined;
}

/** Model time: total minus queue, when both are known. */
export function inferenceMs(t: ServerTimings): number | undefined {
  return t.totalMs !== undefined && t.queueMs !== undefined ? Math.max(0, t.totalMs - t.queueMs) : undefined;
}
