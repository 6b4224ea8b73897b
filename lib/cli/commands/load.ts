// `genload load` (make load SCENARIO=<name>): resolve and validate config, make
// sure k6 and the target are there, bundle the scenario, run k6 into a fresh run
// folder, and map the outcome to an exit code.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bundleScenarios, listScenarios } from '../bundle/bundle.ts';
import { repoRoot } from '../paths.ts';
import { ExitCode, K6ExitCode } from '../../shared/exit-codes.ts';
import { parseSlo, SloError } from '../../shared/slo/index.ts';
import { parseWorkload, WorkloadError } from '../../shared/workload/index.ts';
import { API_KEY_ENV, BASIC_AUTH_ENV, loadSchema, RUN_CONFIG_ENV, RUN_CONFIG_SCHEMA_VERSION, runConfigSchema, type LoadConfig, type RunConfig, type TargetApi } from '../../shared/run-config.ts';
import { withWorkloadDefaults } from '../../shared/workload/defaults.ts';
import type { KnobValue } from '../config/knobs.ts';
import { buildRunWorkload, requestListProblems } from '../run/build-workload.ts';
import { ConfigError, TargetUnreachableError } from '../errors.ts';
import { resolveK6 } from '../k6/provision.ts';
import { WORKLOAD_KEYS } from '../config/knobs.ts';
import { resultsDirProblem } from '../config/folders.ts';
import { collectKnobs, type ResolvedKnobs } from '../config/resolve.ts';
import { loadSloFile } from '../config/slo-file.ts';
import { startMonitors } from '../monitor/monitors.ts';
import { renderRunReports } from '../report/render-run.ts';
import { afterK6Run } from '../outputs/post-run.ts'; // post-run hook (lib/cli/outputs)
import { fetchModels, promptCapFrom } from '../run/context-fit.ts';
import { splitCredentials } from '../run/credentials.ts';
import { describeEnvironment } from '../run/environment.ts';
import { startSegments } from '../distributed/run-segments.ts';
import { remoteWriteExtras } from '../remote-write/remote-write.ts';
import { startK6 } from '../run/k6-process.ts';
import { startManagedServer, type ManagedServer } from '../run/managed-server.ts';
import { configProblemsIn, outcomeOf } from '../run/outcome.ts';
import { probeUrl } from '../run/probe.ts';
import { createRunFolder, writeJsonAtomic } from '../run/run-folder.ts';

export function listSloProfiles(): string[] {
  const dir = join(repoRoot, 'thresholds');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

export const DEFAULT_READY_PATH: Record<TargetApi, string> = {
  reference: '/ready',
  'openai-chat': '/v1/models',
  'openai-completions': '/v1/models',
  'openai-images': '/v1/models',
  tgi: '/health',
  'kserve-v2': '/v2/health/ready',
  'generic-json': '/',
};

export interface LoadOptions {
  flags: Record<string, string | undefined>;
  env: NodeJS.ProcessEnv;
  now?: Date;
  log?: (line: string) => void;
}

/** Validated knobs plus the SLO and workload; throws ConfigError listing every problem. */
export function resolveLoadConfig(flags: LoadOptions['flags'], env: NodeJS.ProcessEnv): { knobs: ResolvedKnobs; slo: unknown; workload: Record<string, unknown> } {
  const { problems, ...knobs } = collectKnobs({
    flags,
    env,
    scenarios: listScenarios(),
    sloProfiles: listSloProfiles(),
    fileExists: (p) => existsSync(p),
  });
  if (typeof knobs.values['resultsDir'] === 'string') {
    const problem = resultsDirProblem(resolve(repoRoot, knobs.values['resultsDir']), join(repoRoot, 'results'));
    if (problem !== undefined) problems.push(problem);
  }
  let slo: unknown = null;
  if (knobs.sloFile !== null) {
    const path = knobs.sloFile.startsWith('thresholds/') ? join(repoRoot, knobs.sloFile) : knobs.sloFile;
    const loaded = loadSloFile(path);
    problems.push(...loaded.problems);
    if (loaded.problems.length === 0) {
      try {
        slo = parseSlo(loaded.slo, knobs.sloFile);
      } catch (err) {
        if (!(err instanceof SloError)) throw err;
        problems.push(...err.problems.map((p) => `SLO ${knobs.sloFile}: ${p}`));
      }
    }
  }
  const record: Record<string, string | number | boolean> = {};
  for (const key of WORKLOAD_KEYS) {
    const value = knobs.values[key];
    if (value !== undefined) record[key] = value;
  }
  if (typeof knobs.values['workload'] === 'string') {
    for (const pair of knobs.values['workload'].split(',')) {
      const [key, ...rest] = pair.trim().split('=');
      if (key !== undefined) record[key] = coerce(rest.join('='));
    }
  }
  let workload: Record<string, unknown> = {};
  try {
    const parsed = parseWorkload(record);
    workload = { ...parsed };
    if (typeof knobs.values['api'] === 'string') problems.push(...requestListProblems(knobs.values, parsed, knobs.values['api'] as TargetApi));
  } catch (err) {
    if (!(err instanceof WorkloadError)) throw err;
    problems.push(...err.problems);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { knobs, slo, workload };
}

export async function runLoad(opts: LoadOptions): Promise<number> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`genload: ${line}\n`));
  const { knobs, slo, workload } = resolveLoadConfig(opts.flags, opts.env);
  const v = knobs.values;
  const scenario = String(v['scenario']);
  const api = v['api'] as TargetApi;

  const k6 = await resolveK6({ log });
  const [script] = await bundleScenarios([scenario]);
  if (script === undefined) throw new Error(`bundling ${scenario} produced no output`);

  const split = typeof v['target'] === 'string' ? splitCredentials(v['target'].replace(/\/+$/, '')) : undefined;
  let target = split?.url;
  const readyPath = typeof v['readyPath'] === 'string' ? v['readyPath'] : DEFAULT_READY_PATH[api];
  if (target !== undefined) {
    const probe = await probeUrl(`${target}${readyPath}`, 5000);
    if (!probe.reachable) {
      throw new TargetUnreachableError(`target ${target} is not answering (${probe.error}) after ${(probe.elapsedMs / 1000).toFixed(1)} s; no load was sent`);
    }
  }

  const folder = createRunFolder(resolve(repoRoot, String(v['resultsDir'])), scenario, v['runName'] as string | undefined, opts.now ?? new Date());
  log(`run folder ${folder.runDir}`);

  let server: ManagedServer | undefined;
  let interrupted = false;
  let k6Interrupt: (() => void) | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupted) return;
    interrupted = true;
    log(`${signal} received: stopping k6 gracefully (partial results are kept)`);
    k6Interrupt?.();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    if (target === undefined) {
      log(`no TARGET: starting the local reference server (engine ${String(v['engine'])})`);
      server = await startManagedServer({ engine: v['engine'] as 'onnx' | 'sim', logPath: join(folder.runDir, 'server.log') });
      target = server.url;
      log(`reference server ready at ${target}`);
    }
    if (interrupted) return ExitCode.Interrupted;
    const apiKey = opts.env[API_KEY_ENV];
    const apiKeyHeader: Record<string, string> =
      apiKey !== undefined && apiKey !== '' ? { authorization: `Bearer ${apiKey}` } : split?.basicAuth !== undefined ? { authorization: `Basic ${split.basicAuth}` } : {};
    if (workload['maxPromptChars'] === 0 && api !== 'generic-json') {
      const models = await fetchModels(target, apiKeyHeader);
      const cap = models === undefined ? undefined : promptCapFrom(models, v['model'] as string | undefined, Number(workload['maxTokens']));
      if (cap !== undefined) {
        workload['maxPromptChars'] = cap;
        log(`prompts capped at ${cap} characters to fit the model's context window`);
      }
    }

    const built = await buildRunWorkload({ runDir: folder.runDir, scenario, api, model: v['model'] as string | undefined, load: loadOf(v), workload: withWorkloadDefaults(workload), knobs: v });
    log(built.description);
    const config: RunConfig = runConfigSchema.parse({
      schemaVersion: RUN_CONFIG_SCHEMA_VERSION,
      scenario,
      runId: folder.runId,
      runDir: folder.runDir,
      target: { url: target, api, model: v['model'], managed: server !== undefined, readyPath },
      load: loadOf(v),
      sloPath: knobs.sloFile,
      slo,
      workload,
      workloadFile: built.ref,
    });
    writeJsonAtomic(join(folder.runDir, 'config.json'), { ...config, target: { ...config.target, url: redactUrl(config.target.url) }, sources: knobs.sources });
    writeJsonAtomic(join(folder.runDir, 'environment.json'), describeEnvironment(k6.version));

    const totalSeconds = config.load.durationSeconds + config.load.warmupSeconds;
    const env: Record<string, string> = {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '',
      [RUN_CONFIG_ENV]: JSON.stringify(config),
      K6_NO_USAGE_REPORT: 'true',
      K6_WEB_DASHBOARD: 'true',
      K6_WEB_DASHBOARD_PORT: '-1',
      K6_WEB_DASHBOARD_PERIOD: `${Math.max(1, Math.min(10, Math.floor(totalSeconds / 6)))}s`,
      K6_WEB_DASHBOARD_EXPORT: join(folder.runDir, 'dashboard.html'),
    };
    if (apiKey !== undefined && apiKey !== '') env[API_KEY_ENV] = apiKey;
    if (split?.basicAuth !== undefined) env[BASIC_AUTH_ENV] = split.basicAuth;
    const started = new Date();
    const monitors = startMonitors({ runDir: folder.runDir, ...(server !== undefined ? { serverPid: server.pid } : {}), metricsUrl: `${target}/metrics` });
    const rw = typeof v['prometheusRw'] === 'string' ? remoteWriteExtras({ url: v['prometheusRw'], runId: folder.runId }) : undefined;
    Object.assign(env, rw?.env, rw?.secretEnv);
    const args = ['run', '--no-color', '--address', '', '--summary-trend-stats', 'avg,min,med,max,p(90),p(95),p(99),count', ...(rw?.args ?? [])];
    const instances = Number(v['instances']);
    let k6ExitCode: number;
    if (instances > 1) {
      // k6's own distributed mechanism: execution segments, merged exactly from raw samples
      log(`running ${instances} k6 instances on execution segments`);
      const segments = startSegments({ k6Path: k6.path, args, script, env, instances, runDir: folder.runDir, echo: true });
      k6Interrupt = segments.interrupt;
      if (interrupted) segments.interrupt();
      k6ExitCode = (await segments.done).k6ExitCode;
    } else {
      const handle = startK6({
        k6Path: k6.path,
        args: [...args, '--out', `json=${join(folder.runDir, 'samples.json.gz')}`, script],
        env,
        cwd: folder.runDir,
        logPath: join(folder.runDir, 'k6.log'),
        echo: true,
      });
      k6Interrupt = handle.interrupt;
      if (interrupted) handle.interrupt();
      k6ExitCode = await handle.exited;
    }
    await monitors.stop();
    await afterK6Run({ runDir: folder.runDir, targetUrl: target, config, headers: apiKeyHeader, interrupted, log }); // post-run hook: compare-plan saves its outputs while the target is up
    const summary = readSummary(join(folder.runDir, 'summary.json'));
    const configProblems = k6ExitCode === K6ExitCode.ScriptException ? configProblemsIn(readK6Logs(folder.runDir)) : [];
    const outcome = outcomeOf({ k6ExitCode, interrupted, validity: summary?.validity, configProblems });
    writeJsonAtomic(join(folder.runDir, 'run.json'), {
      schemaVersion: 1,
      runId: folder.runId,
      scenario,
      startedAt: started.toISOString(),
      endedAt: new Date().toISOString(),
      k6ExitCode,
      exitCode: outcome.exitCode,
      verdict: outcome.verdict,
      message: outcome.message,
      interrupted,
    });
    try {
      await renderRunReports(folder.runDir);
    } catch (err) {
      // a report that cannot be drawn never changes the run's verdict; the data files are all there
      log(`rendering the reports failed; reason: ${(err as Error).message}`);
    }
    log(`${outcome.message} (exit ${outcome.exitCode}); results in ${folder.runDir}`);
    return outcome.exitCode;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (server !== undefined) await server.stop();
  }
}

/** The load section of a run config from the resolved knobs (validated again by runConfigSchema). */
export function loadOf(v: Readonly<Record<string, KnobValue>>): LoadConfig {
  return loadSchema.parse({
    rateRps: v['rateRps'],
    maxRateRps: v['maxRateRps'],
    durationSeconds: v['durationSeconds'],
    warmupSeconds: v['warmupSeconds'],
    vus: v['vus'],
    maxVus: v['maxVus'],
    arrival: v['arrival'],
    seed: v['seed'],
    ...(typeof v['concurrency'] === 'string' ? { concurrency: v['concurrency'].split(',').map(Number) } : {}),
  });
}

/** "12" -> 12, "true" -> true, anything else stays text */
function coerce(text: string): string | number | boolean {
  if (/^-?\d+(?:\.\d+)?$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  return text;
}

function readSummary(path: string): { validity?: { valid: boolean; reasons: string[]; targetLimits?: Array<{ message: string }> } } | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as { validity?: { valid: boolean; reasons: string[]; targetLimits?: Array<{ message: string }> } };
  } catch {
    return undefined;
  }
}

/** Credentials in a URL (user:password@) never reach a file. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.username !== '' || u.password !== '') {
      u.username = 'REDACTED';
      u.password = '';
    }
    return u.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

/** k6's log of a run: k6.log, or each instance's segments/<i>/k6.log; '' when there is none. */
function readK6Logs(runDir: string): string {
  const paths = [join(runDir, 'k6.log')];
  const segments = join(runDir, 'segments');
  if (existsSync(segments)) for (const d of readdirSync(segments)) paths.push(join(segments, d, 'k6.log'));
  return paths.filter((p) => existsSync(p)).map((p) => readFileSync(p, 'utf8')).join('\n');
}
