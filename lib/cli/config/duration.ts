// Durations and rates as people type them: "30s", "2m", "1h30m", "500ms" or a bare number of seconds.

const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };
const DURATION_RE = /^(?:(\d+(?:\.\d+)?)(ms|s|m|h))+$/;
const PART_RE = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;

/** Seconds, or undefined when the text is not a duration. Zero and negatives are returned for the caller to reject. */
export function parseDurationSeconds(text: string): number | undefined {
  const t = text.trim();
  let total: number;
  if (/^-?\d+(?:\.\d+)?$/.test(t)) total = Number(t);
  else if (!DURATION_RE.test(t)) return undefined;
  else {
    total = 0;
    for (const m of t.matchAll(PART_RE)) total += Number(m[1]) * (UNIT_SECONDS[m[2] ?? 's'] ?? 1);
  }
  // a duration past a year is a typo, and Infinity would break every later computation
  return Number.isFinite(total) && Math.abs(total) <= 366 * 86_400 ? total : undefined;
}

/** A finite number, or undefined. */
export function parseNumber(text: string): number | undefined {
  const t = text.trim();
  if (t === '' || !/^-?\d+(?:\.\d+)?(?:e[+-]?\d+)?$/i.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}
