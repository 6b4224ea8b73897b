// The capacity executor: one CapacityRunPlan (search-plan.ts), one run folder
// results/<ts>-capacity-<scenario>/ with a sub-folder per step and
// capacity.json, the highest level the target sustains inside the SLO, and the
// replicas-and-cost plan from it. Shares the load executor's steps (start the
// target, prepare the run folder, build the workload, assemble k6's config and
// environment); each step is one k6 process (step.ts).

import { DEFAULT_ACCEPTANCE } from './acceptance.ts';
import { describePlan } from './replica-plan.ts';
import { BOUNDED_METRICS } from '../../shared/slo/bounds.ts';
import type { Slo } from '../../shared/slo/schema.ts';
import { resolveK6 } from '../k6/provision.ts';
import { startMonitors } from '../monitor/monitors.ts';
import { buildRunWorkload } from '../workload/from-plan.ts';
import { describeEnvironment } from '../run/environment.ts';
import { baseRunConfig, k6BaseEnv } from '../run/k6-config.ts';
import { bundleScenario, type ExecutorIo } from '../run/load-run.ts';
import { createRunFolder } from '../run-folder/write.ts';
import { writeCapacity } from '../run-folder/capacity-record.ts';
import { RUN_FILE } from '../run-folder/names.ts';
import { catchInterrupts } from '../run/signals.ts';
import { probeTarget, startTarget, type RunningTarget } from '../run/target.ts';
import { capacityRecord, replicaPlanOf } from './record.ts';
import { renderCapacityReports } from './report-pages.ts';
import { searchCapacity, type SearchState } from './search.ts';
import { levelBounds } from './stepper.ts';
import type { CapacityRunPlan } from './search-plan.ts';
import { runStep } from './step.ts';

export interface CapacityIo extends ExecutorIo {
  /** the environment PATH and HOME of k6 come from */
  env: Readonly<Record<string, string | undefined>>;
}

export async function executeCapacity(c: CapacityRunPlan, io: CapacityIo): Promise<number> {
  const { log } = io;
  const plan = c.run;
  const k6 = await resolveK6({ log });
  const script = await bundleScenario('capacity');
  await probeTarget(plan.target);
  const startedAt = io.now ?? new Date();
  const folder = createRunFolder(plan.outputs.resultsDir, `capacity-${plan.scenario}`, plan.outputs.runName, startedAt);
  log(`capacity search: run folder ${folder.runDir}`);

  const abort = new AbortController();
  const interrupts = catchInterrupts(log, 'stopping the current step (measured steps are kept)');
  interrupts.forward(() => abort.abort());
  let target: RunningTarget | undefined;
  try {
    target = await startTarget(plan.target, folder.runDir, log);
    const baseConfig = baseRunConfig(plan, {
      scenario: 'capacity',
      runId: folder.runId,
      runDir: folder.runDir,
      targetUrl: target.url,
      managed: target.managed,
    });
    const environment = describeEnvironment(k6.version);
    const write = (state: SearchState): void =>
      writeCapacity(folder.runDir, capacityRecord(state, { plan: c, baseConfig, environment, startedAt }));
    const { stepper } = c;
    const { load } = plan;
    const closed = c.loadModel === 'closed';
    const b = levelBounds(stepper);
    const unit = closed ? ' concurrent requests' : ' rps';
    const from =
      c.probe === null
        ? `from ${b.start}${unit}`
        : `from a throughput probe at ${c.probe.concurrency} concurrent requests`;
    log(
      `searching ${from} (min ${b.min}, max ${b.max}${unit}), steps of ${load.warmupSeconds} s warm-up + ${c.window.minSeconds}-${c.window.maxSeconds} s measured (sized from the latency variance), tolerance ${(stepper.toleranceRatio * 100).toFixed(1)} %`,
    );
    const probeUrl = `${target.url}${plan.target.readyPath}`;
    // the target's own signals over the whole search; each step's window is cut from them (server-cause.ts)
    const monitors = startMonitors({
      runDir: folder.runDir,
      ...(target.serverPid !== undefined ? { serverPid: target.serverPid } : {}),
      metricsUrl: plan.target.metricsUrl ?? `${target.url}/metrics`,
      ...(plan.target.serverDialect !== undefined ? { serverDialect: plan.target.serverDialect } : {}),
    });
    const state = await searchCapacity(
      {
        stepper,
        acceptance: DEFAULT_ACCEPTANCE,
        deadlineMs: Date.now() + c.settings.timeBudgetSeconds * 1000,
        maxVus: load.maxVus,
        window: c.window,
        probe: c.probe,
        headlineKeys: sloLatencyKeys(plan.slo.profile),
      },
      {
        runStep: (spec) =>
          runStep(
            {
              k6Path: k6.path,
              script,
              runDir: folder.runDir,
              baseConfig,
              probeUrl,
              env: k6BaseEnv(io.env, plan),
              signal: abort.signal,
              // each step sends its own plan's requests, built from the same seed: the same first requests at every level
              buildWorkload: async (config, dir) =>
                (
                  await buildRunWorkload({
                    runDir: dir,
                    scenario: 'capacity',
                    api: plan.target.api,
                    model: config.target.model,
                    load: config.load,
                    workload: plan.workload,
                    knobs: plan.requestList,
                  })
                ).ref,
            },
            spec,
          ),
        persist: write,
        log,
        nowMs: () => Date.now(),
      },
    ).finally(() => monitors.stop());
    log(state.message);
    const replicas = replicaPlanOf(state, c);
    for (const line of replicas === null ? [] : describePlan(replicas)) log(line);
    const pages = await renderCapacityReports(folder.runDir);
    log(
      `${RUN_FILE.capacity}${pages.length > 0 ? ', capacity.html, capacity.md' : ''} in ${folder.runDir} (exit ${state.exitCode})`,
    );
    return state.exitCode;
  } finally {
    interrupts.dispose();
    if (target !== undefined) await target.stop();
  }
}

/** "<class>.<metric>" for every latency the SLO bounds, in the SLO language's order. */
function sloLatencyKeys(slo: Slo | null): string[] {
  if (slo === null) return [];
  return (['llm', 'image'] as const).flatMap((cls) =>
    BOUNDED_METRICS.filter((m) => slo.classes[cls]?.[m] !== undefined).map((m) => `${cls}.${m}`),
  );
}
