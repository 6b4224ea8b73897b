// Settings of `genload capacity` beyond the load knobs: the search bounds and
// tolerance, the time budget, and the capacity plan inputs. Their rows (flag,
// parser, unit, default, help) are in the configuration table
// (lib/cli/config/knobs.ts, CAPACITY_KNOBS); this turns the resolved rows into
// the search's settings. Every problem is thrown once as a ConfigError.
//   RATE        first probe rate            MAX_RATE   highest rate tried
//   DURATION    measurement window per step WARMUP     warm-up per step (excluded)

import { ConfigError } from '../errors.ts';
import { CAPACITY_KNOBS } from '../config/knobs.ts';
import { isComplete, resolveTable } from '../config/table.ts';

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

export const CAPACITY_FLAG_NAMES: readonly string[] = Object.values(CAPACITY_KNOBS).map((k) => k.flag);

export function resolveCapacitySettings(
  flags: Readonly<Record<string, string | undefined>>,
  env: Readonly<Record<string, string | undefined>>,
): CapacitySettings {
  const { values: v, problems } = resolveTable(CAPACITY_KNOBS, { flags, env, scenario: undefined });
  if (problems.length > 0) throw new ConfigError(problems);
  if (!isComplete(CAPACITY_KNOBS, v)) throw new Error('capacity: a setting with a default resolved to no value');
  return Object.freeze({
    minRps: v.minRps ?? null,
    toleranceRatio: v.toleranceRatio,
    maxSteps: v.maxSteps,
    timeBudgetSeconds: v.timeBudgetSeconds,
    confirmRepeats: v.confirmRepeats,
    probeConcurrency: v.probeConcurrency,
    peakRps: v.peakRps ?? null,
    headroomRatio: v.headroomRatio,
    pricePerHour: v.pricePerHour ?? null,
    unitsPerReplica: v.unitsPerReplica,
    currency: v.currency,
  });
}

/** The settings when nothing is given: the table's defaults. */
export const DEFAULT_CAPACITY_SETTINGS: Readonly<CapacitySettings> = resolveCapacitySettings({}, {});
