// Resolves `genload load` configuration from defaults, scenario defaults,
// environment and flags; validates every knob and cross-field rule, collecting
// ALL problems before throwing one ConfigError. Pure apart from the injected
// file lookups, so it is tested table-driven without I/O.

import { ConfigError } from '../errors.ts';
import { LOAD_KNOBS } from './knobs.ts';
import { isComplete, resolveTable, type Source, type TableValues } from './table.ts';
import { isLoopbackHost } from '../../shared/loopback.ts';

export interface ResolveInputs {
  /** values from flags (Make variables), keyed by flag name without dashes, e.g. { rate: '5' } */
  flags: Readonly<Record<string, string | undefined>>;
  env: Readonly<Record<string, string | undefined>>;
  scenarios: readonly string[];
  /** SLO profile names available in thresholds/ */
  sloProfiles: readonly string[];
  /** true when a file exists at this path (relative to the working directory or absolute) */
  fileExists(path: string): boolean;
}

type LoadKnobs = typeof LOAD_KNOBS;

/** The load knobs' typed values: what each knob's parser returns; a knob with a default always holds one. */
export type ResolvedValues = TableValues<LoadKnobs>;

export interface ResolvedKnobs {
  readonly values: ResolvedValues;
  /** where each value came from: default, scenario, env, flag */
  readonly sources: { readonly [K in keyof LoadKnobs]?: Source };
  /** the text each given value was parsed from (`genload config` shows structured values as given) */
  readonly texts: { readonly [K in keyof LoadKnobs]?: string };
  /** the SLO file to load, or null */
  readonly sloFile: string | null;
}

/** Checks a target URL; returns problems (empty when fine). */
export function checkTargetUrl(url: string, allowRemote: boolean): string[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [`target: must be an http:// or https:// URL with a host, but is '${url}'`];
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return [`target: must use http or https, but uses '${parsed.protocol.replace(':', '')}' in '${url}'`];
  }
  if (parsed.hostname === '') return [`target: must name a host, but is '${url}'`];
  if (!allowRemote && !isLoopbackHost(parsed.hostname)) {
    return [
      `target: must be on loopback (127.0.0.1, ::1, localhost) unless ALLOW_REMOTE=true, but the host is '${parsed.hostname}'`,
    ];
  }
  return [];
}

/** Throws one ConfigError listing every problem. */
export function resolveKnobs(inputs: ResolveInputs): ResolvedKnobs {
  const { problems, ...resolved } = collectKnobs(inputs);
  if (problems.length > 0) throw new ConfigError(problems);
  return resolved;
}

/** Resolves what it can and returns the problems instead of throwing, so callers can add theirs. */
export function collectKnobs(inputs: ResolveInputs): ResolvedKnobs & { problems: string[] } {
  // the scenario name decides which scenario defaults apply, so it is read first
  const named = nonEmpty(inputs.flags['scenario']) ?? nonEmpty(inputs.env[LOAD_KNOBS.scenario.env]);
  const scenario = named !== undefined && inputs.scenarios.includes(named) ? named : undefined;
  const {
    values: v,
    sources,
    texts,
    problems,
  } = resolveTable(LOAD_KNOBS, {
    flags: inputs.flags,
    env: inputs.env,
    scenario,
  });
  if (!isComplete(LOAD_KNOBS, v)) throw new Error('config: a knob with a default resolved to no value');

  // Cross-field rules.
  if (v.scenario === undefined) {
    problems.push(`SCENARIO: is required; available scenarios: ${inputs.scenarios.join(', ')}`);
  } else if (!inputs.scenarios.includes(v.scenario)) {
    problems.push(`SCENARIO: must be one of ${inputs.scenarios.join(', ')}, but is '${v.scenario}'`);
  }
  if (v.target !== undefined) problems.push(...checkTargetUrl(v.target, v.allowRemote));
  if (v.maxRateRps < v.rateRps) problems.push(`MAX_RATE: must be at least RATE (${v.rateRps}), but is ${v.maxRateRps}`);
  if (v.maxVus < v.vus) problems.push(`MAX_VUS: must be at least VUS (${v.vus}), but is ${v.maxVus}`);

  problems.push(...requestListProblems(v, inputs.fileExists));

  let sloFile: string | null = null;
  if (v.slo !== undefined) {
    if (inputs.sloProfiles.includes(v.slo)) sloFile = `thresholds/${v.slo}.json`;
    else if (inputs.fileExists(v.slo)) sloFile = v.slo;
    else
      problems.push(
        `SLO: must be a profile (${inputs.sloProfiles.join(', ') || 'none'}) or an existing JSON file, but is '${v.slo}'`,
      );
  }
  return { values: v, sources, texts, sloFile, problems };
}

/** Cross-field rules of the request-list knobs: files exist, one source of requests, a trace only with SCENARIO=trace. */
function requestListProblems(values: ResolvedValues, fileExists: (path: string) => boolean): string[] {
  const problems: string[] = [];
  const files = ['tokenizer', 'dataset', 'trace', 'workloadFile'] as const;
  for (const key of files) {
    const v = values[key];
    if (v !== undefined && !(key === 'tokenizer' && v === 'bytes') && !fileExists(v))
      problems.push(`${LOAD_KNOBS[key].makeVar}: must be an existing file, but is '${v}'`);
  }
  const sources = (['dataset', 'trace', 'workloadFile'] as const)
    .filter((k) => values[k] !== undefined)
    .map((k) => LOAD_KNOBS[k].makeVar);
  if (sources.length > 1)
    problems.push(`${sources[1]}: must be the only source of requests, but ${sources[0]} is set too`);
  if (values.scenario === 'trace' && values.trace === undefined && values.workloadFile === undefined)
    problems.push('TRACE: is required for SCENARIO=trace (a JSONL trace: timestamp ms, input and output lengths)');
  if (values.trace !== undefined && values.scenario !== 'trace')
    problems.push(
      `TRACE: a trace replays its own schedule, so it needs SCENARIO=trace, but SCENARIO is '${String(values.scenario)}'`,
    );
  if (values.traceSpeed !== undefined && values.trace === undefined)
    problems.push('TRACE_SPEED: scales a trace, so it needs TRACE');
  if (values.tokenPairs !== undefined && (values.inputTokens !== undefined || values.outputTokens !== undefined))
    problems.push(
      'TOKEN_PAIRS: sets input and output lengths together, so it cannot be combined with INPUT_TOKENS or OUTPUT_TOKENS',
    );
  if (values.prefixes !== undefined && values.prefixTokens === undefined)
    problems.push('PREFIX_TOKENS: is required with PREFIXES (the length of each shared system prompt, in tokens)');
  if (values.prefixTokens !== undefined && values.prefixes === undefined)
    problems.push('PREFIXES: is required with PREFIX_TOKENS (how many distinct shared system prompts)');
  if (values.prefixShare !== undefined && values.prefixes === undefined)
    problems.push('PREFIX_SHARE: needs PREFIXES and PREFIX_TOKENS (the shared system prompts it shares)');
  if (values.workloadFile !== undefined) {
    const shaping = (
      [
        'inputTokens',
        'outputTokens',
        'tokenPairs',
        'tokenizer',
        'prefixes',
        'prefixTokens',
        'prefixShare',
        'turns',
      ] as const
    ).filter((k) => values[k] !== undefined);
    if (shaping.length > 0)
      problems.push(`WORKLOAD_FILE: sends a file's requests as they are, so ${shaping.join(', ')} cannot change them`);
  }
  return problems;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}
