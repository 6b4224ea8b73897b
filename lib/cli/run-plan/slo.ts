// The run's SLO, resolved completely here and nowhere else: the file SLO=
// names, else the scenario's default for the classes the run sends
// (lib/shared/slo/defaults.ts), loaded from thresholds/ and parsed. Every
// later reader (k6 options, summary, report, capacity) gets a parsed SLO,
// never null. Problems are prefixed "SLO <path>: ".

import { join } from 'node:path';
import { repoRoot } from '../paths.ts';
import type { TargetApi } from '../../shared/run-config.ts';
import { classesSent, imageStepsTimed, scenarioDef, streamsLlm } from '../../shared/scenarios.ts';
import { combineProfiles, defaultProfileNames, measurableProfile } from '../../shared/slo/defaults.ts';
import { parseSlo, SloError, type Slo } from '../../shared/slo/index.ts';
import type { Workload } from '../../shared/workload/defaults.ts';
import { loadSloFile } from '../config/slo-file.ts';
import type { SloPlan } from './plan.ts';

/** One SLO file, loaded and parsed; undefined (and its problems pushed) when it cannot be. */
export function readSloFile(sloFile: string, problems: string[]): Slo | undefined {
  const loaded = loadSloFile(sloFile.startsWith('thresholds/') ? join(repoRoot, sloFile) : sloFile);
  problems.push(...loaded.problems);
  if (loaded.problems.length > 0) return undefined;
  try {
    return parseSlo(loaded.slo, sloFile);
  } catch (err) {
    if (!(err instanceof SloError)) throw err;
    problems.push(...err.problems.map((p) => `SLO ${sloFile}: ${p}`));
    return undefined;
  }
}

/** The profile file of a shipped profile name. */
export const profilePath = (name: string): string => `thresholds/${name}.json`;

/**
 * The SLO of a run: the given file, else the default profiles of the classes
 * this scenario sends to this API (combined when it sends both). undefined
 * when a file cannot be read or parsed (the problems say why).
 */
export function resolveSlo(
  sloFile: string | null,
  scenario: string,
  api: TargetApi,
  workload: Workload,
  problems: string[],
): SloPlan | undefined {
  if (sloFile !== null) {
    const profile = readSloFile(sloFile, problems);
    return profile === undefined ? undefined : { profile, path: sloFile, origin: 'given' };
  }
  const classes = classesSent(scenario, api, workload);
  const names = defaultProfileNames(scenarioDef(scenario).defaultSlo, classes);
  const profiles = names.map((n) => readSloFile(profilePath(n), problems));
  if (profiles.some((p) => p === undefined)) return undefined;
  const combined = combineProfiles(profiles as Slo[]);
  // answers not streamed have no TTFT, ITL or TPOT, images from OpenAI's API no step time: the default judges their e2e
  const profile = measurableProfile(combined, {
    streamed: streamsLlm(scenario, api, workload),
    stepTimed: imageStepsTimed(api),
  });
  return {
    profile,
    path: names.length === 1 && profile === combined ? profilePath(names[0]!) : null,
    origin: 'default',
  };
}
