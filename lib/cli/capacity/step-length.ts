// How long an open-model capacity step measures: its planned window,
// lengthened at low rates so each judged class can reach its SLO's
// minRequests (e.g. interactive-chat's 10 requests need 20 s at 0.5 rps). A
// shorter step cannot pass by construction, and the scenario refuses such a
// plan before any load is sent, which would end the search. Pure.

import { withWorkloadDefaults } from '../../shared/workload/defaults.ts';
import { classesSent } from '../../shared/scenarios.ts';
import type { StepBaseConfig } from './step.ts';

/** plannedSeconds: the step's own window (step-window.ts); the run's DURATION when not given */
export function stepDurationS(
  config: StepBaseConfig,
  rateRps: number,
  plannedSeconds: number = config.load.durationSeconds,
): number {
  const workload = withWorkloadDefaults(config.workload);
  const classes = classesSent(config.scenario, config.target.api, workload);
  let seconds = plannedSeconds;
  for (const cls of classes) {
    const min = config.slo.classes[cls]?.minRequests ?? 1;
    const share = classes.length > 1 ? (cls === 'llm' ? workload.classMix : 1 - workload.classMix) : 1;
    // the scenario's check: share × (rate × duration + 1), k6 may start one more at the end, must reach min
    if (rateRps > 0 && share > 0) seconds = Math.max(seconds, Math.ceil((min / share - 1) / rateRps));
  }
  return seconds;
}
