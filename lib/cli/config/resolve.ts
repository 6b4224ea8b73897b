// Resolves `genload load` configuration from defaults, scenario defaults,
// environment and flags; validates every knob and cross-field rule, collecting
// ALL problems before throwing one ConfigError. Pure apart from the injected
// file lookups, so it is tested table-driven without I/O.

import { ConfigError } from '../errors.ts';
import { DEFAULTS, SCENARIO_DEFAULTS, type DefaultedKnob } from './defaults.ts';
import { KNOBS, type KnobValue, type KnobValues } from './knobs.ts';
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

/** The knobs' typed values: what each knob's parser returns; a knob with a default always holds one. */
export type ResolvedValues = KnobValues & { readonly [K in DefaultedKnob]-?: NonNullable<KnobValues[K]> };

export interface ResolvedKnobs {
  readonly values: ResolvedValues;
  /** where each value came from: default, scenario, env, flag */
  readonly sources: Readonly<Record<string, string>>;
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
  const problems: string[] = [];
  const values: Record<string, KnobValue> = {};
  const sources: Record<string, string> = {};

  const layer = (
    origin: string,
    raw: (k: (typeof KNOBS)[number]) => string | undefined,
    label: (k: (typeof KNOBS)[number]) => string,
  ) => {
    for (const k of KNOBS) {
      const text = raw(k);
      if (text === undefined) continue;
      const parsed = k.parse(text);
      if ('rule' in parsed) problems.push(`${label(k)}: ${parsed.rule}, but is '${text}'`);
      else {
        values[k.key] = parsed.value;
        sources[k.key] = origin;
      }
    }
  };

  for (const [key, value] of Object.entries(DEFAULTS)) {
    values[key] = value;
    sources[key] = 'default';
  }
  // The scenario name decides which scenario defaults apply, so read it first.
  const scenario = inputs.flags['scenario'] ?? inputs.env['GENLOAD_SCENARIO'];
  if (scenario !== undefined && inputs.scenarios.includes(scenario)) {
    for (const [key, value] of Object.entries(SCENARIO_DEFAULTS[scenario] ?? {})) {
      values[key] = value;
      sources[key] = 'scenario';
    }
  }
  layer(
    'env',
    (k) => nonEmpty(inputs.env[k.env]),
    (k) => `${k.env}`,
  );
  layer(
    'flag',
    (k) => nonEmpty(inputs.flags[k.flag]),
    (k) => `${k.makeVar}`,
  );

  // Cross-field rules.
  if (values['scenario'] === undefined) {
    problems.push(`SCENARIO: is required; available scenarios: ${inputs.scenarios.join(', ')}`);
  } else if (!inputs.scenarios.includes(String(values['scenario']))) {
    problems.push(`SCENARIO: must be one of ${inputs.scenarios.join(', ')}, but is '${values['scenario']}'`);
  }
  if (typeof values['target'] === 'string')
    problems.push(...checkTargetUrl(values['target'], values['allowRemote'] === true));
  if (
    typeof values['rateRps'] === 'number' &&
    typeof values['maxRateRps'] === 'number' &&
    values['maxRateRps'] < values['rateRps']
  ) {
    problems.push(`MAX_RATE: must be at least RATE (${values['rateRps']}), but is ${values['maxRateRps']}`);
  }
  if (typeof values['vus'] === 'number' && typeof values['maxVus'] === 'number' && values['maxVus'] < values['vus']) {
    problems.push(`MAX_VUS: must be at least VUS (${values['vus']}), but is ${values['maxVus']}`);
  }

  problems.push(...requestListProblems(values, inputs.fileExists));

  let sloFile: string | null = null;
  if (typeof values['slo'] === 'string') {
    const slo = values['slo'];
    if (inputs.sloProfiles.includes(slo)) sloFile = `thresholds/${slo}.json`;
    else if (inputs.fileExists(slo)) sloFile = slo;
    else
      problems.push(
        `SLO: must be a profile (${inputs.sloProfiles.join(', ') || 'none'}) or an existing JSON file, but is '${slo}'`,
      );
  }

  // the one place the flat record becomes typed: every value came from DEFAULTS, SCENARIO_DEFAULTS or its knob's parser
  return { values: Object.freeze(values) as ResolvedValues, sources: Object.freeze(sources), sloFile, problems };
}

/** Cross-field rules of the request-list knobs: files exist, one source of requests, a trace only with SCENARIO=trace. */
function requestListProblems(
  values: Readonly<Record<string, KnobValue>>,
  fileExists: (path: string) => boolean,
): string[] {
  const problems: string[] = [];
  const named = [
    ['tokenizer', 'TOKENIZER'],
    ['dataset', 'DATASET'],
    ['trace', 'TRACE'],
    ['workloadFile', 'WORKLOAD_FILE'],
  ] as const;
  for (const [key, makeVar] of named) {
    const v = values[key];
    if (typeof v === 'string' && !(key === 'tokenizer' && v === 'bytes') && !fileExists(v))
      problems.push(`${makeVar}: must be an existing file, but is '${v}'`);
  }
  const sources = (['dataset', 'trace', 'workloadFile'] as const)
    .filter((k) => values[k] !== undefined)
    .map((k) => named.find((n) => n[0] === k)?.[1] ?? k);
  if (sources.length > 1)
    problems.push(`${sources[1]}: must be the only source of requests, but ${sources[0]} is set too`);
  if (values['scenario'] === 'trace' && values['trace'] === undefined && values['workloadFile'] === undefined)
    problems.push('TRACE: is required for SCENARIO=trace (a JSONL trace: timestamp ms, input and output lengths)');
  if (values['trace'] !== undefined && values['scenario'] !== 'trace')
    problems.push(
      `TRACE: a trace replays its own schedule, so it needs SCENARIO=trace, but SCENARIO is '${String(values['scenario'])}'`,
    );
  if (values['traceSpeed'] !== undefined && values['trace'] === undefined)
    problems.push('TRACE_SPEED: scales a trace, so it needs TRACE');
  if (
    values['tokenPairs'] !== undefined &&
    (values['inputTokens'] !== undefined || values['outputTokens'] !== undefined)
  )
    problems.push(
      'TOKEN_PAIRS: sets input and output lengths together, so it cannot be combined with INPUT_TOKENS or OUTPUT_TOKENS',
    );
  if (values['prefixes'] !== undefined && values['prefixTokens'] === undefined)
    problems.push('PREFIX_TOKENS: is required with PREFIXES (the length of each shared system prompt, in tokens)');
  if (values['prefixTokens'] !== undefined && values['prefixes'] === undefined)
    problems.push('PREFIXES: is required with PREFIX_TOKENS (how many distinct shared system prompts)');
  if (values['prefixShare'] !== undefined && values['prefixes'] === undefined)
    problems.push('PREFIX_SHARE: needs PREFIXES and PREFIX_TOKENS (the shared system prompts it shares)');
  if (values['workloadFile'] !== undefined) {
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
