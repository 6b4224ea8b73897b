// Settings of `genload capacity` beyond the load knobs: the search bounds and
// tolerance, the time budget, and the capacity plan inputs. Parsed from flags
// (Make variables) and GENLOAD_* environment variables; every problem is
// collected and thrown once as a ConfigError.
//   RATE        first probe rate            MAX_RATE   highest rate tried
//   DURATION    measurement window per step WARMUP     warm-up per step (excluded)

import { ConfigError } from '../errors.ts';
import { parseDurationSeconds, parseNumber } from '../config/duration.ts';

export interface CapacitySettings {
  /** lowest rate worth trying; default RATE / 4 */
  minRps: number | null;
  toleranceRatio: number;
  maxSteps: number;
  /** wall-clock budget of the whole search, seconds; the search stops (incomplete) when the next step would not fit */
  timeBudgetSeconds: number;
  confirmRepeats: number;
  /** open model: concurrent requests of the throughput probe that measures the ceiling first; 0: no probe */
  probeConcurrency: number;
  peakRps: number | null;
  headroomRatio: number;
  pricePerHour: number | null;
  unitsPerReplica: number;
  currency: string;
}

interface Flag {
  flag: string;
  key: keyof CapacitySettings;
  parse(text: string): { value: CapacitySettings[keyof CapacitySettings] } | { rule: string };
  help: string;
}

const number =
  (min: number, max: number, integer = false, minExclusive = false) =>
  (text: string) => {
    const n = parseNumber(text);
    const ok = n !== undefined && (minExclusive ? n > min : n >= min) && n <= max && (!integer || Number.isInteger(n));
    return ok
      ? { value: n }
      : {
          rule: `must be ${integer ? 'a whole number' : 'a number'} ${minExclusive ? 'greater than' : 'at least'} ${min}${Number.isFinite(max) ? ` and at most ${max}` : ''}`,
        };
  };
const ratio = (max: number) => (text: string) => {
  const t = text.trim();
  const n = t.endsWith('%') ? (parseNumber(t.slice(0, -1)) ?? NaN) / 100 : parseNumber(t);
  return n !== undefined && n >= 0 && n < max
    ? { value: n }
    : { rule: `must be a fraction (0.2) or a percentage (20%) from 0 up to below ${max * 100}%` };
};
const duration = (text: string) => {
  const s = parseDurationSeconds(text);
  return s !== undefined && s > 0
    ? { value: s }
    : { rule: 'must be a duration like 5m, 300s or a number of seconds, greater than 0' };
};

/** Flag name (also Make variable upper-cased with _ and GENLOAD_<VAR> in the environment), parsed key, rule. */
export const CAPACITY_FLAGS: readonly Flag[] = [
  {
    flag: 'min-rate',
    key: 'minRps',
    parse: number(0, Infinity, false, true),
    help: 'lowest rate the search tries (default RATE / 4)',
  },
  {
    flag: 'tolerance',
    key: 'toleranceRatio',
    parse: ratio(0.5),
    help: 'stop when the interval is this narrow, relative (default 3%)',
  },
  {
    flag: 'max-steps',
    key: 'maxSteps',
    parse: number(1, 200, true),
    help: 'most steps the search may run (default 20)',
  },
  {
    flag: 'time-budget',
    key: 'timeBudgetSeconds',
    parse: duration,
    help: 'wall-clock budget of the search (default 10m)',
  },
  {
    flag: 'confirm',
    key: 'confirmRepeats',
    parse: number(0, 5, true),
    help: 'extra passing runs the reported rate needs (default 1)',
  },
  {
    flag: 'probe-concurrency',
    key: 'probeConcurrency',
    parse: number(0, 10000, true),
    help: 'requests in flight of the first step, a throughput probe that finds the ceiling (default 128; 0: bracket from RATE)',
  },
  {
    flag: 'peak-rps',
    key: 'peakRps',
    parse: number(0, Infinity, false, true),
    help: 'plan: expected peak rate, requests per second',
  },
  {
    flag: 'headroom',
    key: 'headroomRatio',
    parse: ratio(1),
    help: 'plan: share of each replica kept spare (default 20%)',
  },
  {
    flag: 'price-per-hour',
    key: 'pricePerHour',
    parse: number(0, Infinity),
    help: 'plan: price of one GPU-hour or instance-hour',
  },
  {
    flag: 'gpus-per-replica',
    key: 'unitsPerReplica',
    parse: number(0, 1024, false, true),
    help: 'plan: GPUs (or instances) per replica (default 1)',
  },
  {
    flag: 'currency',
    key: 'currency',
    parse: (t) => (/^[A-Za-z$€£¥]{1,5}$/.test(t) ? { value: t } : { rule: 'must be 1-5 letters or a currency sign' }),
    help: 'plan: currency label (default USD)',
  },
];

export const CAPACITY_FLAG_NAMES: readonly string[] = CAPACITY_FLAGS.map((f) => f.flag);

export const DEFAULT_CAPACITY_SETTINGS: Readonly<CapacitySettings> = Object.freeze({
  minRps: null,
  toleranceRatio: 0.03,
  maxSteps: 20,
  timeBudgetSeconds: 600,
  confirmRepeats: 1,
  probeConcurrency: 128,
  peakRps: null,
  headroomRatio: 0.2,
  pricePerHour: null,
  unitsPerReplica: 1,
  currency: 'USD',
});

const envName = (flag: string): string => `GENLOAD_${flag.toUpperCase().replace(/-/g, '_')}`;

export function resolveCapacitySettings(
  flags: Readonly<Record<string, string | undefined>>,
  env: Readonly<Record<string, string | undefined>>,
): CapacitySettings {
  const out: Record<string, unknown> = { ...DEFAULT_CAPACITY_SETTINGS };
  const problems: string[] = [];
  for (const f of CAPACITY_FLAGS) {
    for (const [label, text] of [
      [envName(f.flag), env[envName(f.flag)]],
      [f.flag.toUpperCase().replace(/-/g, '_'), flags[f.flag]],
    ] as const) {
      if (text === undefined || text === '') continue;
      const parsed = f.parse(text);
      if ('rule' in parsed) problems.push(`${label}: ${parsed.rule}, but is '${text}'`);
      else out[f.key] = parsed.value;
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(out as unknown as CapacitySettings);
}
