// The capacity search's record (capacity.json, written by the capacity command)
// read tolerantly into the few fields reports and the gate use: the sustainable
// rate, the search's resolution, and one point per step of the
// latency-throughput curve. Field names accepted per point:
//   offered rate   rateRps | offeredRps
//   throughput     achievedRps | throughputRps
//   latency        p50Ms, p95Ms, p99Ms, or latencyMs: { p50, p95, p99 }, or
//                  latency: { "<class>.<metric>": { p50Ms, p95Ms, p99Ms } } (capacity.json's
//                  rows: the first key, the SLO's first bounded latency, is the one shown)
//   verdict        verdict ('pass' | 'fail' | 'invalid') or passed (boolean)

export interface CapacityPoint {
  offeredRps: number;
  achievedRps: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  verdict: 'pass' | 'fail' | 'invalid' | 'unknown';
}

export interface Capacity {
  sustainableRps: number | null;
  /** [highest pass, lowest fail] of the search; the gap is the search's resolution */
  lowRps: number | null;
  highRps: number | null;
  points: CapacityPoint[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const first = (o: Obj, keys: readonly string[]): number | null => {
  for (const k of keys) {
    const n = num(o[k]);
    if (n !== null) return n;
  }
  return null;
};

function parsePoint(p: unknown): CapacityPoint | null {
  if (!isObj(p)) return null;
  const offeredRps = first(p, ['rateRps', 'offeredRps']);
  if (offeredRps === null) return null;
  const lat = isObj(p['latencyMs']) ? p['latencyMs'] : {};
  const keyed = isObj(p['latency']) ? Object.values(p['latency']).find(isObj) : undefined;
  const verdict =
    p['verdict'] === 'pass' || p['verdict'] === 'fail' || p['verdict'] === 'invalid'
      ? p['verdict']
      : typeof p['passed'] === 'boolean'
        ? p['passed']
          ? 'pass'
          : 'fail'
        : 'unknown';
  return {
    offeredRps,
    achievedRps: first(p, ['achievedRps', 'throughputRps']),
    p50Ms: first(p, ['p50Ms']) ?? first(lat, ['p50']) ?? (keyed ? first(keyed, ['p50Ms']) : null),
    p95Ms: first(p, ['p95Ms']) ?? first(lat, ['p95']) ?? (keyed ? first(keyed, ['p95Ms']) : null),
    p99Ms: first(p, ['p99Ms']) ?? first(lat, ['p99']) ?? (keyed ? first(keyed, ['p99Ms']) : null),
    verdict,
  };
}

export function parseCapacity(raw: unknown): Capacity | undefined {
  if (!isObj(raw)) return undefined;
  const result = isObj(raw['result']) ? raw['result'] : raw;
  // capacity.json's steps are the rows in search order; its curve is the same points by rate
  const interval = isObj(result['interval']) ? result['interval'] : {};
  const list = Array.isArray(raw['steps']) ? raw['steps'] : Array.isArray(raw['curve']) ? raw['curve'] : [];
  const points = list.map(parsePoint).filter((p): p is CapacityPoint => p !== null);
  return {
    sustainableRps: first(result, ['sustainableRps', 'sustainableRateRps']),
    lowRps: first(interval, ['lowRps']),
    highRps: first(interval, ['highRps']),
    points: points.sort((a, b) => a.offeredRps - b.offeredRps),
  };
}
