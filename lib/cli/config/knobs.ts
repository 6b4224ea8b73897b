// Every knob of `genload load`, as data: its Make variable / flag, its environment
// variable, how it is parsed and which rule it must meet. Adding a knob is one row.
// Precedence (lowest first): defaults, scenario defaults, environment (GENLOAD_*), flags (Make variables).

import { ARRIVALS, TARGET_APIS } from '../../shared/run-config.ts';
import { DIALECT_IDS } from '../../shared/server-signals.ts';
import { parseDurationSeconds, parseNumber } from './duration.ts';

export type KnobValue = string | number | boolean;

/** A knob's parser: the typed value, or a rule text describing what was expected. */
export type KnobParse<T extends KnobValue> = (text: string) => { value: T } | { rule: string };

export interface Knob<K extends string = string, T extends KnobValue = KnobValue> {
  /** key in the resolved flat record */
  key: K;
  /** command-line flag, also what the Makefile passes for the Make variable of the same name upper-cased */
  flag: string;
  makeVar: string;
  env: string;
  /** returns the parsed value, or a rule text describing what was expected */
  parse: KnobParse<T>;
  help: string;
}

const positiveNumber: KnobParse<number> = (text) => {
  const n = parseNumber(text);
  return n !== undefined && n > 0 ? { value: n } : { rule: 'must be a number greater than 0' };
};
const positiveInt: KnobParse<number> = (text) => {
  const n = parseNumber(text);
  return n !== undefined && Number.isSafeInteger(n) && n > 0
    ? { value: n }
    : { rule: 'must be a whole number from 1 to 2^53-1' };
};
const nonNegativeInt: KnobParse<number> = (text) => {
  const n = parseNumber(text);
  return n !== undefined && Number.isSafeInteger(n) && n >= 0 && n <= 4_294_967_295
    ? { value: n }
    : { rule: 'must be a whole number from 0 to 4294967295' };
};
const duration =
  (min: 'positive' | 'zero'): KnobParse<number> =>
  (text) => {
    const s = parseDurationSeconds(text);
    if (s === undefined) return { rule: 'must be a duration like 30s, 2m, 1h or a number of seconds' };
    if (min === 'positive' ? s <= 0 : s < 0)
      return { rule: `must be a duration ${min === 'positive' ? 'greater than 0' : 'of at least 0'}` };
    return { value: s };
  };
const oneOf =
  <const C extends string>(choices: readonly C[]): KnobParse<C> =>
  (text) => {
    const choice = choices.find((c) => c === text);
    return choice !== undefined ? { value: choice } : { rule: `must be one of ${choices.join(', ')}` };
  };
const text: KnobParse<string> = (text) => (text === '' ? { rule: 'must not be empty' } : { value: text });
const bool: KnobParse<boolean> = (text) =>
  ['1', 'true', 'yes', 'on'].includes(text.toLowerCase())
    ? { value: true }
    : ['0', 'false', 'no', 'off'].includes(text.toLowerCase())
      ? { value: false }
      : { rule: 'must be true or false' };
const runName: KnobParse<string> = (text) =>
  /^[a-z0-9][a-z0-9._-]{0,39}$/.test(text) && !text.includes('..')
    ? { value: text }
    : { rule: 'must be 1-40 characters of a-z, 0-9, ".", "_" or "-", starting with a letter or digit' };

/** "1,2,4,8" -> [1, 2, 4, 8]: ascending whole numbers, at most 64 steps */
const concurrencyList: KnobParse<string> = (text) => {
  const parts = text.split(',').map((p) => p.trim());
  const values = parts.map((p) => parseNumber(p));
  const ok =
    parts.length <= 64 &&
    values.every(
      (n, i) =>
        n !== undefined && Number.isSafeInteger(n) && n > 0 && n <= 100_000 && (i === 0 || n > (values[i - 1] ?? 0)),
    );
  return ok
    ? { value: values.join(',') }
    : { rule: 'must be ascending whole numbers from 1 to 100000 separated by commas (at most 64), e.g. 1,2,4,8' };
};

/** "planPrompts=2,planWarmup=1,classMix=llm:3|image:1" -> the same text, once its shape is checked */
const workloadPairs: KnobParse<string> = (text) =>
  text.split(',').every((pair) => /^[A-Za-z][A-Za-z0-9]*=[^,]*$/.test(pair.trim()))
    ? { value: text }
    : { rule: 'must be key=value pairs separated by commas, e.g. planPrompts=2,planWarmup=1' };

function knob<K extends string, T extends KnobValue>(
  key: K,
  flag: string,
  parse: KnobParse<T>,
  help: string,
): Knob<K, T> {
  const makeVar = flag.toUpperCase().replace(/-/g, '_');
  return { key, flag, makeVar, env: `GENLOAD_${makeVar}`, parse, help };
}

export const KNOBS = [
  knob('scenario', 'scenario', text, 'scenario to run: scenarios/<name>.ts'),
  knob('target', 'target', text, 'base URL of the service under test; empty: start the local reference server'),
  knob('api', 'api', oneOf(TARGET_APIS), 'wire protocol of the target'),
  knob('model', 'model', text, 'model id sent in requests'),
  knob('readyPath', 'ready-path', text, 'path probed before any load is sent'),
  knob(
    'metricsUrl',
    'metrics-url',
    (t: string): { value: string } | { rule: string } =>
      /^https?:\/\/[^/\s]+/.test(t)
        ? { value: t }
        : { rule: 'must be an http(s) URL such as http://127.0.0.1:8000/metrics' },
    "the target's Prometheus endpoint read during the run; default <target>/metrics",
  ),
  knob(
    'serverDialect',
    'server-dialect',
    oneOf(DIALECT_IDS),
    'read the metrics endpoint as this server (default: detected from the names it exposes)',
  ),
  knob('slo', 'slo', text, 'SLO profile: a name in thresholds/ or a path to a JSON file'),
  knob('rateRps', 'rate', positiveNumber, 'arrival rate, requests per second'),
  knob('maxRateRps', 'max-rate', positiveNumber, 'highest rate a ramp may reach, requests per second'),
  knob('durationSeconds', 'duration', duration('positive'), 'measured duration'),
  knob('warmupSeconds', 'warmup', duration('zero'), 'warm-up duration, excluded from SLO metrics'),
  knob('vus', 'vus', positiveInt, 'concurrency for closed-model scenarios'),
  knob('maxVus', 'max-vus', positiveInt, 'cap on VUs for arrival-rate scenarios'),
  knob(
    'concurrency',
    'concurrency',
    concurrencyList,
    'concurrency scenario: concurrent requests per step, e.g. 1,2,4,8 (default: 1, 2, 4, ... up to MAX_VUS)',
  ),
  knob(
    'loadModel',
    'load-model',
    oneOf(['open', 'closed']),
    'capacity search: open (arrival rate) or closed (concurrency, for servers limited by slots)',
  ),
  knob('arrival', 'arrival', oneOf(ARRIVALS), 'inter-arrival distribution'),
  knob('seed', 'seed', nonNegativeInt, 'seed for workload sampling and arrival jitter'),
  knob('engine', 'engine', oneOf(['onnx', 'sim']), 'engine of the local reference server (when no TARGET)'),
  knob('promptSet', 'prompts', text, 'workload prompt set'),
  knob('maxTokens', 'max-tokens', positiveInt, 'workload: max_tokens per LLM request'),
  knob('steps', 'steps', positiveInt, 'workload: denoising steps per image'),
  knob('sizePx', 'size', positiveInt, 'workload: image size in pixels (square)'),
  knob('stream', 'stream', bool, 'workload: stream LLM responses'),
  knob(
    'itlSamples',
    'itl-samples',
    oneOf(['token', 'request']),
    'inter-token latency samples: token (exact percentiles) or request (one mean gap per request, exact gaps in itl.jsonl; bounded k6 memory for long runs)',
  ),
  knob(
    'ignoreEos',
    'ignore-eos',
    bool,
    'workload: force every answer to its requested output length (ignore_eos, min_tokens)',
  ),
  knob(
    'inputTokens',
    'input-tokens',
    text,
    'workload: input tokens per LLM request: N, A..B (uniform) or N~S (normal)',
  ),
  knob('outputTokens', 'output-tokens', text, 'workload: output tokens (max_tokens) per LLM request: N, A..B or N~S'),
  knob(
    'tokenPairs',
    'token-pairs',
    text,
    'workload: input:output token pairs, one picked per request, e.g. 128:64,512:128',
  ),
  knob(
    'tokenizer',
    'tokenizer',
    text,
    'workload: Hugging Face tokenizer.json that measures tokens, or bytes (what the reference server counts); default o200k_base',
  ),
  knob(
    'dataset',
    'dataset',
    text,
    'workload: prompts from a JSONL file (prompt or messages, max_tokens, size, steps) or ShareGPT JSON',
  ),
  knob(
    'trace',
    'trace',
    text,
    'scenario trace: JSONL trace (timestamp ms, input and output lengths; Mooncake or Azure columns)',
  ),
  knob('traceSpeed', 'trace-speed', positiveNumber, 'scenario trace: time scale (2 = twice as fast)'),
  knob('prefixes', 'prefixes', positiveInt, 'workload: distinct shared system prompts (prefix caching)'),
  knob('prefixTokens', 'prefix-tokens', positiveInt, 'workload: tokens of each shared system prompt'),
  knob(
    'prefixShare',
    'prefix-share',
    (t: string): { value: number } | { rule: string } => {
      const n = parseNumber(t);
      return n !== undefined && n >= 0 && n <= 1 ? { value: n } : { rule: 'must be a number from 0 to 1' };
    },
    'workload: fraction of requests that carry a shared system prompt',
  ),
  knob('turns', 'turns', positiveInt, 'workload: turns per conversation (turn k carries the earlier turns)'),
  knob(
    'workloadFile',
    'workload-file',
    text,
    "workload: send a previous run's workload.jsonl again (same requests for baseline and candidate)",
  ),
  knob(
    'workload',
    'workload',
    workloadPairs,
    'more workload knobs as key=value pairs, comma-separated (see lib/shared/workload/README.md)',
  ),
  knob(
    'instances',
    'instances',
    (t: string): { value: number } | { rule: string } => {
      const r = positiveInt(t);
      return 'value' in r && r.value > 64 ? { rule: 'must be a whole number from 1 to 64' } : r;
    },
    'k6 processes on execution segments; results merged from raw samples',
  ),
  knob(
    'prometheusRw',
    'prometheus-rw',
    (t: string): { value: string } | { rule: string } =>
      /^https?:\/\/[^/\s]+/.test(t) ? { value: t } : { rule: 'must be an http(s) URL such as http://127.0.0.1:9090' },
    'stream k6 metrics to this Prometheus (remote-write receiver)',
  ),
  knob('resultsDir', 'results', text, 'folder that receives run folders'),
  knob('runName', 'name', runName, 'label appended to the run folder name'),
  knob('allowRemote', 'allow-remote', bool, 'allow a target that is not on loopback'),
] as const;

type AnyKnob = (typeof KNOBS)[number];
export type KnobKey = AnyKnob['key'];

/** The resolved knobs, typed from the table: each key holds what its parser returns (absent when unset and without a default). */
export type KnobValues = { readonly [N in AnyKnob as N['key']]?: N extends Knob<string, infer T> ? T : never };

/** Knobs that make up the workload record handed to the scenario. */
export const WORKLOAD_KEYS = [
  'promptSet',
  'maxTokens',
  'steps',
  'sizePx',
  'stream',
  'ignoreEos',
  'itlSamples',
] as const;

/** Knobs that shape the request list built before the run (lib/cli/workload/from-plan.ts), not the k6 workload record. */
export const REQUEST_LIST_KEYS = [
  'inputTokens',
  'outputTokens',
  'tokenPairs',
  'tokenizer',
  'dataset',
  'trace',
  'traceSpeed',
  'prefixes',
  'prefixTokens',
  'prefixShare',
  'turns',
  'workloadFile',
] as const;
