// capacity.json of a search, from its state so far (lib/cli/capacity/report.ts
// is the schema): written after every step, so whatever ends the search, what was
// measured is kept. Also the replicas-and-cost plan at the sustainable level.

import { capacitySlo } from './slo-words.ts';
import { DEFAULT_ACCEPTANCE } from './acceptance.ts';
import { replicaPlan, type ReplicaPlan } from './replica-plan.ts';
import { CAPACITY_SCHEMA_VERSION, curveOf, unitsPerRequestAt, type CapacityReport } from './report.ts';
import { ExitCode } from '../../shared/exit-codes.ts';
import type { RunEnvironment } from '../run/environment.ts';
import { redactUrl } from '../run-plan/credentials.ts';
import type { BaseRunConfig } from '../run/k6-config.ts';
import type { SearchState } from './search.ts';
import { resultLevels } from './stepper.ts';
import type { CapacityRunPlan } from './search-plan.ts';

export interface RecordContext {
  plan: CapacityRunPlan;
  baseConfig: BaseRunConfig;
  environment: RunEnvironment;
  startedAt: Date;
}

/** Replicas and cost at the sustainable level, or null when none was found. */
export function replicaPlanOf(state: SearchState, plan: CapacityRunPlan): ReplicaPlan | null {
  const level = state.result === null ? null : resultLevels(state.result).sustainable;
  if (level === null) return null;
  // closed model: a replica's rate is the lowest throughput measured at the sustainable concurrency
  const at = state.measurements.filter((m) => (m.concurrency ?? m.offeredRps) === level);
  const rate = at.some((m) => m.concurrency !== undefined) ? Math.min(...at.map((m) => m.achievedRps)) : level;
  const s = plan.settings;
  return replicaPlan({
    sustainableRps: rate,
    ...unitsPerRequestAt(state.measurements, level),
    peakRps: s.peakRps,
    headroomRatio: s.headroomRatio,
    pricePerHour: s.pricePerHour,
    unitsPerReplica: s.unitsPerReplica,
    currency: s.currency,
  });
}

export function capacityRecord(state: SearchState, c: RecordContext): CapacityReport {
  const base = c.baseConfig;
  return {
    schemaVersion: CAPACITY_SCHEMA_VERSION,
    tool: 'genload',
    kind: 'capacity',
    runId: base.runId,
    scenario: c.plan.run.scenario,
    loadModel: c.plan.loadModel,
    target: { url: redactUrl(base.target.url), api: base.target.api, managed: base.target.managed },
    slo: capacitySlo(c.plan.run, base.sloPath),
    settings: {
      stepper: c.plan.stepper,
      acceptance: DEFAULT_ACCEPTANCE,
      load: base.load,
      workload: base.workload,
      plan: c.plan.settings,
    },
    environment: c.environment,
    startedAt: c.startedAt.toISOString(),
    endedAt: new Date().toISOString(),
    status: state.status === 'running' ? 'incomplete' : state.status,
    message: state.status === 'running' ? 'search in progress' : state.message,
    exitCode: state.status === 'running' ? ExitCode.Passed : state.exitCode,
    result: state.result,
    wallSeconds: state.wallSeconds,
    stepCount: state.rows.length,
    probe: state.probe,
    steps: state.rows,
    curve: curveOf(state.rows),
    plan: replicaPlanOf(state, c.plan),
  };
}
