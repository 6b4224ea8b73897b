// Runs one capacity step: its own sub-folder of the run folder, one k6 process
// running scenarios/capacity.ts at the step's rate, the target watched the
// whole time. Returns the measurement (step.json) or why there is none.
//
// Why one k6 process per step rather than one run of chained steps: k6 fixes
// its scenarios (and so every rate) when the test starts, while the search
// picks each rate from the previous verdicts. A process costs ~0.3 s of
// start-up per step, small next to a step's seconds of load.

import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { markGenloadFolder } from '../run-folder/marker.ts';
import { join } from 'node:path';
import { RUN_CONFIG_ENV, type RunConfig, type WorkloadFileRef } from '../../shared/run-config.ts';
import type { BaseRunConfig } from '../run/k6-config.ts';

/** A capacity run's config before a step's workload is built (runStep adds workloadFile). */
export type StepBaseConfig = BaseRunConfig;
import { STEP_SCHEMA_VERSION, type StepMeasurement } from '../../shared/capacity/measurement.ts';
import { startK6 } from '../k6/k6-process.ts';
import { writeConfig } from '../run-folder/config-record.ts';
import { RUN_FILE } from '../run-folder/names.ts';
import { startGeneratorMonitor, type GeneratorSeries } from '../monitor/generator.ts';
import { watchTarget } from './target-watch.ts';
import { stepDurationS } from './step-length.ts';

/** What a step holds constant: an arrival rate (open model) or a number of requests in flight (closed model). */
export type StepLevel = { rateRps: number } | { concurrency: number };

export interface StepSpec {
  /** 1-based step number */
  index: number;
  level: StepLevel;
  vus: number;
  maxVus: number;
  /** this step's warm-up and measurement window, seconds (the search sizes them per step) */
  warmupSeconds: number;
  durationSeconds: number;
}

export interface StepRun {
  dir: string;
  startedAt: Date;
  wallSeconds: number;
  k6ExitCode: number;
  measurement: StepMeasurement | null;
  /** why the step stopped early, if it did */
  stopped: { kind: 'target-down' | 'interrupted'; reason: string } | null;
  /** k6's CPU over the step against what it may use; null when no sample was taken */
  generator?: StepGenerator | null;
}

export interface StepGenerator {
  /** mean cores k6 kept busy / cores it may use, 0..1 */
  k6CpuShare: number;
  /** time k6's threads waited for a CPU / cores it may use (its cores were busy); absent without schedstats */
  waitShare?: number;
  allowedCores: number;
  limitedBy: string;
}

/** The step's k6 CPU share: every sample after k6's first second (its start-up), weighted by its interval. */
export function stepGenerator(series: GeneratorSeries): StepGenerator | null {
  const pts = series.points.length > 1 ? series.points.slice(1) : series.points;
  const ms = pts.reduce((a, p) => a + p.intervalMs, 0);
  if (ms <= 0) return null;
  const used = pts.reduce((a, p) => a + p.cpuCores * p.intervalMs, 0) / ms;
  const allowed = pts.reduce((a, p) => a + p.allowedCores * p.intervalMs, 0) / ms;
  const waits = pts.filter((p) => p.waitCores !== undefined);
  const wait = waits.reduce((a, p) => a + (p.waitCores ?? 0) * p.intervalMs, 0) / ms;
  if (!(allowed > 0)) return null;
  return {
    k6CpuShare: used / allowed,
    ...(waits.length > 0 ? { waitShare: wait / allowed } : {}),
    allowedCores: allowed,
    limitedBy: series.allowance?.limitedBy ?? 'unknown',
  };
}

export interface StepRunnerOptions {
  k6Path: string;
  script: string;
  runDir: string;
  /** the run's config; the load level, VUs, warm-up, duration and runDir are set per step */
  baseConfig: StepBaseConfig;
  /** writes the step's workload.jsonl into its folder (the step's plan) and says where it is */
  buildWorkload: (config: StepBaseConfig, dir: string) => Promise<WorkloadFileRef>;
  /** what the watcher probes: target URL + ready path */
  probeUrl: string;
  /** environment for k6 (PATH, HOME, API key) */
  env: Readonly<Record<string, string>>;
  /** set by the caller on SIGINT; checked when a step ends */
  signal: AbortSignal;
}

export function stepDirName(index: number, level: StepLevel): string {
  const [n, unit] = 'concurrency' in level ? [level.concurrency, 'vus'] : [level.rateRps, 'rps'];
  return `step-${String(index).padStart(2, '0')}-${String(n).replace('.', '_')}${unit}`;
}

export async function runStep(opts: StepRunnerOptions, spec: StepSpec): Promise<StepRun> {
  const name = stepDirName(spec.index, spec.level);
  const dir = join(opts.runDir, name);
  mkdirSync(dir, { recursive: true });
  markGenloadFolder(dir, 'run folder');
  const base: StepBaseConfig = {
    ...opts.baseConfig,
    runId: `${opts.baseConfig.runId}/${name}`,
    runDir: dir,
    // closed model: the level is the step's concurrency (k6 constant VUs); the rate fields keep the run's values, unused
    load: {
      ...opts.baseConfig.load,
      ...('rateRps' in spec.level
        ? { rateRps: spec.level.rateRps, maxRateRps: Math.max(spec.level.rateRps, opts.baseConfig.load.maxRateRps) }
        : { concurrency: [spec.level.concurrency] }),
      vus: spec.vus,
      maxVus: spec.maxVus,
      warmupSeconds: spec.warmupSeconds,
      // open model: at low rates the step is lengthened so each class can reach its SLO's minRequests (step-length.ts)
      durationSeconds:
        'rateRps' in spec.level
          ? stepDurationS(opts.baseConfig, spec.level.rateRps, spec.durationSeconds)
          : spec.durationSeconds,
    },
  };
  const config: RunConfig = { ...base, workloadFile: await opts.buildWorkload(base, dir) };
  writeConfig(dir, { ...config, target: { ...config.target, url: `(see ${RUN_FILE.capacity})` } });

  const startedAt = new Date();
  const started = performance.now();
  const handle = startK6({
    k6Path: opts.k6Path,
    args: ['run', '--no-color', '--quiet', '--address', '', opts.script],
    env: { ...opts.env, [RUN_CONFIG_ENV]: JSON.stringify(config), K6_NO_USAGE_REPORT: 'true' },
    cwd: dir,
    logPath: join(dir, RUN_FILE.k6Log),
    echo: false,
  });
  const generator = startGeneratorMonitor({ runDir: dir, k6Path: opts.k6Path });
  let stopped: StepRun['stopped'] = null;
  const watch = watchTarget({
    url: opts.probeUrl,
    onDown: (reason) => {
      stopped ??= { kind: 'target-down', reason };
      handle.interrupt();
    },
  });
  const onAbort = (): void => {
    stopped ??= { kind: 'interrupted', reason: 'interrupted by a signal' };
    handle.interrupt();
  };
  opts.signal.addEventListener('abort', onAbort, { once: true });
  if (opts.signal.aborted) onAbort();
  let k6ExitCode: number;
  try {
    k6ExitCode = await handle.exited;
  } finally {
    watch.stop();
    opts.signal.removeEventListener('abort', onAbort);
  }
  const series = generator.stop();
  return {
    dir: name,
    startedAt,
    wallSeconds: (performance.now() - started) / 1000,
    k6ExitCode,
    measurement: readStep(join(dir, 'step.json')),
    stopped,
    generator: stepGenerator(series),
  };
}

function readStep(path: string): StepMeasurement | null {
  if (!existsSync(path)) return null;
  try {
    const m = JSON.parse(readFileSync(path, 'utf8')) as StepMeasurement;
    return m.schemaVersion === STEP_SCHEMA_VERSION ? m : null;
  } catch {
    return null;
  }
}
