// The load executor: one plan (lib/cli/run-plan), one k6 run into a fresh run
// folder, one exit code. Each step is a named function of this folder: start
// the target, prepare the run folder, build the workload, assemble k6's config
// and environment, run k6 (single or distributed), record the outcome, render
// the reports. `genload load` and every load scenario (concurrency included)
// come here.

import { join } from 'node:path';
import { ExitCode } from '../../shared/exit-codes.ts';
import { bundleScenarios } from '../bundle/bundle.ts';
import { resolveK6 } from '../k6/provision.ts';
import { startGeneratorMonitor } from '../monitor/generator.ts';
import { startMonitors } from '../monitor/monitors.ts';
import { addServerSignals } from '../monitor/server-signals/summary-blocks.ts';
import { generatorLines } from '../../shared/generator/text.ts';
import { afterK6Run } from '../outputs/post-run.ts';
import { remoteWriteExtras } from '../remote-write/remote-write.ts';
import type { RunPlan } from '../run-plan/plan.ts';
import { buildRunWorkload } from '../workload/from-plan.ts';
import { fitPrompts } from './context-fit.ts';
import { checkGenerator } from './generator-check.ts';
import { authHeaders } from '../run-plan/credentials.ts';
import { recordOutcome, renderReports } from './finish.ts';
import {
  baseRunConfig,
  K6_RUN_ARGS,
  k6BaseEnv,
  loadK6Env,
  withWorkloadFile,
  writeRunRecordFiles,
} from './k6-config.ts';
import { runK6 } from './k6-run.ts';
import { createRunFolder } from '../run-folder/write.ts';
import { catchInterrupts } from './signals.ts';
import { probeTarget, startTarget, type RunningTarget } from './target.ts';

export interface ExecutorIo {
  log: (line: string) => void;
  /** the run folder's time stamp; default: when the folder is made */
  now?: Date;
}

/** Bundles the plan's scenario; the path of scenarios/<name>.js. */
export async function bundleScenario(name: string): Promise<string> {
  const [script] = await bundleScenarios([name]);
  if (script === undefined) throw new Error(`bundling ${name} produced no output`);
  return script;
}

export async function executeLoad(plan: RunPlan, io: ExecutorIo): Promise<number> {
  const { log } = io;
  const k6 = await resolveK6({ log });
  const script = await bundleScenario(plan.scenario);
  await probeTarget(plan.target);
  const folder = createRunFolder(plan.outputs.resultsDir, plan.scenario, plan.outputs.runName, io.now ?? new Date());
  log(`run folder ${folder.runDir}`);

  const interrupts = catchInterrupts(log, 'stopping k6 gracefully (partial results are kept)');
  let target: RunningTarget | undefined;
  try {
    target = await startTarget(plan.target, folder.runDir, log);
    if (interrupts.interrupted) return ExitCode.Interrupted;
    const headers = authHeaders(plan.target.credentials);
    const workload = await fitPrompts(plan.workload, plan.target.api, plan.target.model, target.url, headers, log);

    const built = await buildRunWorkload({
      runDir: folder.runDir,
      scenario: plan.scenario,
      api: plan.target.api,
      model: plan.target.model,
      load: plan.load,
      workload,
      knobs: plan.requestList,
    });
    log(built.description);
    const config = withWorkloadFile(
      baseRunConfig(plan, {
        runId: folder.runId,
        runDir: folder.runDir,
        targetUrl: target.url,
        managed: target.managed,
        workload,
      }),
      built.ref,
    );
    writeRunRecordFiles(folder.runDir, config, plan, k6.version);

    const rw =
      plan.outputs.prometheusRw !== undefined
        ? remoteWriteExtras({ url: plan.outputs.prometheusRw, runId: folder.runId })
        : undefined;
    const env = { ...loadK6Env(config, k6BaseEnv(process.env, plan)), ...rw?.env, ...rw?.secretEnv };
    const startedAt = new Date();
    const monitors = startMonitors({
      runDir: folder.runDir,
      ...(target.serverPid !== undefined ? { serverPid: target.serverPid } : {}),
      metricsUrl: plan.target.metricsUrl ?? `${target.url}/metrics`,
      ...(plan.target.serverDialect !== undefined ? { serverDialect: plan.target.serverDialect } : {}),
    });
    const generator = startGeneratorMonitor({ runDir: folder.runDir, k6Path: k6.path });
    const k6ExitCode = await runK6({
      k6Path: k6.path,
      script,
      args: [...K6_RUN_ARGS, ...(rw?.args ?? [])],
      env,
      runDir: folder.runDir,
      instances: plan.outputs.instances,
      interrupts,
      log,
    });
    await monitors.stop();
    await addServerSignals(folder.runDir).catch((err: Error) =>
      log(`reading the server signals per stage failed; reason: ${err.message}`),
    );
    const series = generator.stop();
    let judged: ReturnType<typeof checkGenerator>;
    try {
      judged = checkGenerator(folder.runDir, series, monitors.record);
    } catch (err) {
      // a summary.json k6 left unreadable (killed mid-write): the outcome says so from run.json's side
      log(`judging the load generator per stage failed; reason: ${(err as Error).message}`);
    }
    for (const line of judged === undefined ? [] : generatorLines(judged)) log(line);
    // post-run hook: compare-plan saves its outputs while the target is up
    await afterK6Run({
      runDir: folder.runDir,
      targetUrl: target.url,
      config,
      headers,
      interrupted: interrupts.interrupted,
      log,
    });

    const outcome = recordOutcome({
      runDir: folder.runDir,
      runId: folder.runId,
      scenario: plan.scenario,
      startedAt,
      k6ExitCode,
      interrupted: interrupts.interrupted,
      log,
    });
    await renderReports(folder.runDir, log);
    log(`${outcome.message} (exit ${outcome.exitCode}); results in ${folder.runDir}`);
    return outcome.exitCode;
  } finally {
    interrupts.dispose();
    if (target !== undefined) await target.stop();
  }
}
