// The SLO a run is judged by when it names none: every traffic class has a
// default profile with P95 (and P99) latency bounds, and a run sending both
// classes is judged by both profiles, one per class. The error-rate-only
// profile stays available by name (SLO=errors-only) for a pure throughput
// ceiling; it is never a default. Resolved once, on the CLI side
// (lib/cli/run-plan): nothing downstream sees a missing SLO. Pure.

import type { TrafficClass } from '../metrics.ts';
import type { Slo } from './schema.ts';

/**
 * Default profile per class (thresholds/<name>.json).
 * llm: interactive-chat, a person waiting on a streamed answer (TTFT p95 500 ms,
 *   ITL p95 100 ms, TPOT p95 75 ms, e2e p95 8 s): the latencies a chat user feels.
 * image: batch-image (e2e p95 30 s, step p95 500 ms): image generation is
 *   rarely interactive; the step bound catches batching slowdowns.
 */
export const CLASS_DEFAULT_PROFILE: Readonly<Record<TrafficClass, string>> = Object.freeze({
  llm: 'interactive-chat',
  image: 'batch-image',
});

/** The profile with no latency bound: errors under 5 % per class. Only by name. */
export const ERRORS_ONLY_PROFILE = 'errors-only';

/**
 * The profile names a run is judged by when no SLO is given, one per class it
 * sends in class order (deduplicated): the scenario's own default when it has
 * one (lib/shared/scenarios.ts), else each class's.
 */
export function defaultProfileNames(scenarioDefault: string | undefined, classes: readonly TrafficClass[]): string[] {
  if (scenarioDefault !== undefined) return [scenarioDefault];
  const names = (classes.length > 0 ? classes : (['llm'] as const)).map((c) => CLASS_DEFAULT_PROFILE[c]);
  return [...new Set(names)];
}

/**
 * One SLO from one profile per class: each class's rules come from the first
 * profile that judges it, the name joins the names ("interactive-chat +
 * batch-image"), a breach aborts when any profile says so, after the longest
 * delay.
 */
export function combineProfiles(profiles: readonly Slo[]): Slo {
  const [first, ...rest] = profiles;
  if (first === undefined) throw new Error('combineProfiles: needs at least one profile');
  if (rest.length === 0) return first;
  const classes: Slo['classes'] = {};
  for (const p of profiles) {
    if (classes.llm === undefined && p.classes.llm !== undefined) classes.llm = p.classes.llm;
    if (classes.image === undefined && p.classes.image !== undefined) classes.image = p.classes.image;
  }
  const aborts = profiles.flatMap((p) => (p.abort === undefined ? [] : [p.abort]));
  return {
    schemaVersion: 1,
    name: profiles.map((p) => p.name).join(' + '),
    description: `default per class: ${profiles.map((p) => p.name).join(', ')}`,
    classes,
    ...(aborts.length > 0
      ? {
          abort: {
            onFail: aborts.some((a) => a.onFail),
            delaySeconds: Math.max(...aborts.map((a) => a.delaySeconds)),
          },
        }
      : {}),
  };
}

/** Latencies only a streamed answer has: a first token, gaps between tokens, time per token after the first. */
const STREAM_ONLY = ['ttftMs', 'itlMs', 'tpotMs'] as const;

/** What a run can measure beyond e2e latency, known before it starts. */
export interface Measurable {
  /** LLM answers are streamed: TTFT, ITL and TPOT have samples */
  streamed: boolean;
  /** image answers carry their step count (or the API reports it): per-step time has samples */
  stepTimed: boolean;
}

/**
 * A default profile cut to what the run can measure: LLM answers that are not
 * streamed (STREAM=false, or an API without a streamed route) have no first
 * token and no token gaps; images from an API that does not report steps have
 * no per-step time. A bound on them would fail for want of samples, so it is
 * dropped (with its per-request limit); e2e bounds, error rate and goodput
 * stay, and the name says what was dropped.
 */
export function measurableProfile(slo: Slo, can: Measurable): Slo {
  const classes: Slo['classes'] = { ...slo.classes };
  const notes: string[] = [];
  const llm = classes.llm;
  if (!can.streamed && llm !== undefined && STREAM_ONLY.some((m) => llm[m] !== undefined)) {
    const kept = { ...llm };
    for (const m of STREAM_ONLY) delete kept[m];
    const { ttftMs: _ttft, tpotMs: _tpot, ...perRequest } = kept.perRequest ?? {};
    if (Object.keys(perRequest).length > 0) kept.perRequest = perRequest;
    else delete kept.perRequest;
    classes.llm = kept;
    notes.push('not streamed');
  }
  const image = classes.image;
  if (!can.stepTimed && image?.stepMs !== undefined) {
    const { stepMs: _step, ...kept } = image;
    const { stepMs: _stepLimit, ...perRequest } = kept.perRequest ?? {};
    if (Object.keys(perRequest).length > 0) kept.perRequest = perRequest;
    else delete kept.perRequest;
    classes.image = kept;
    notes.push('no step time');
  }
  return notes.length === 0 ? slo : { ...slo, name: `${slo.name}, ${notes.join(', ')}`, classes };
}
