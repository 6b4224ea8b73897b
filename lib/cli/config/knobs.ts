// The configuration table: every knob of `genload load`, `capacity` and
// `package-operator`, declared once: its flag (the Make variable is the flag
// upper-cased, GENLOAD_<VAR> its environment name), its parser (the type and the
// rule), its unit, its default and per-scenario defaults, and its help. The same
// rows feed the resolver (resolve.ts), `--help` and `make help` (help.ts), the
// README's knob list (generated, checked by help.test.ts) and the Makefile's
// variable lists (checked by the same test). Adding a knob is one row here plus
// its use. Precedence (lowest first): default, scenario default, environment
// (GENLOAD_*), flag (Make variable or --flag).

import { ARRIVALS, TARGET_APIS } from '../../shared/run-config.ts';
import { DIALECT_IDS } from '../../shared/server-signals.ts';
import type { ScenarioName } from '../../shared/scenarios.ts';
import * as p from './parsers.ts';
import type { KnobParse } from './parsers.ts';
import type { TableValues } from './table.ts';

export type { KnobParse };

export interface Knob<T> {
  /** command-line flag; the Make variable is its upper-case form, GENLOAD_<VAR> its environment name */
  readonly flag: string;
  readonly makeVar: string;
  readonly env: string;
  readonly parse: KnobParse<T>;
  readonly help: string;
  /** unit of the value once parsed, e.g. 's', 'requests/s' */
  readonly unit?: string;
  readonly default?: T;
  readonly byScenario?: Readonly<Partial<Record<ScenarioName, T>>>;
  /** what applies when the knob has no default (shown in help and the README) */
  readonly unsetMeans?: string;
  /** how a default is written in help and the README (default: as given, then the unit) */
  show?(value: T): string;
}

interface Options<T> {
  unit?: string;
  byScenario?: Readonly<Partial<Record<ScenarioName, T>>>;
  unsetMeans?: string;
  show?(value: T): string;
}

function row<T>(flag: string, parse: KnobParse<T>, help: string, o: Options<T> = {}): Knob<T> {
  const makeVar = flag.toUpperCase().replace(/-/g, '_');
  return { flag, makeVar, env: `GENLOAD_${makeVar}`, parse, help, ...o };
}
/** a knob that may stay unset */
const knob = <T>(flag: string, parse: KnobParse<T>, help: string, o?: Options<T>): Knob<T> => row(flag, parse, help, o);
/** a knob that always holds a value once resolved */
const defaulted = <T>(
  flag: string,
  parse: KnobParse<T>,
  value: T,
  help: string,
  o?: Options<T>,
): Knob<T> & { readonly default: T } => ({
  ...row(flag, parse, help, o),
  default: value,
});

const seconds = (s: number): string => `${s}s`;
const percent = (r: number): string => `${Math.round(r * 1000) / 10}%`;

/** `make load`, `make config`, and the load of `make capacity` / `make package-operator` */
export const LOAD_KNOBS = {
  scenario: knob(
    'scenario',
    p.text,
    'scenario to run (`scenarios/<name>.ts`); an unknown name lists the available ones',
    { unsetMeans: 'required' },
  ),
  target: knob('target', p.text, 'base URL of the service under test; empty starts the local reference server', {
    unsetMeans: 'empty',
  }),
  api: defaulted('api', p.oneOf(TARGET_APIS), 'reference', `wire protocol of the target: ${TARGET_APIS.join(', ')}`),
  model: knob('model', p.text, 'model id sent in requests', { unsetMeans: "target's default" }),
  readyPath: knob('ready-path', p.text, 'path probed before any load is sent', {
    unsetMeans: 'per API (`/ready` for the reference server)',
  }),
  metricsUrl: knob(
    'metrics-url',
    p.httpUrl,
    "the target's Prometheus endpoint, read every second while k6 runs (server signals)",
    { unsetMeans: '`<target>/metrics`' },
  ),
  serverDialect: knob(
    'server-dialect',
    p.oneOf(DIALECT_IDS),
    `read the metrics endpoint as this server: ${DIALECT_IDS.join(', ')}`,
    { unsetMeans: 'detected from the names exposed' },
  ),
  slo: knob('slo', p.text, 'SLO profile: a name in `thresholds/` or a path to a JSON file', {
    unsetMeans:
      "the scenario's default per class it sends (interactive-chat for LLM, batch-image for images; smoke: ci-smoke)",
  }),
  rateRps: defaulted('rate', p.positiveNumber, 2, 'arrival rate', { unit: 'requests/s', byScenario: { ramp: 1 } }),
  maxRateRps: defaulted('max-rate', p.positiveNumber, 20, 'highest rate a ramp may reach', {
    unit: 'requests/s',
    byScenario: { ramp: 20 },
  }),
  durationSeconds: defaulted(
    'duration',
    p.duration('positive'),
    30,
    'measured duration: `30s`, `2m`, `1h` or seconds',
    { unit: 's', show: seconds, byScenario: { smoke: 5, ramp: 60, soak: 600 } },
  ),
  warmupSeconds: defaulted('warmup', p.duration('zero'), 5, 'warm-up before measuring, excluded from SLO metrics', {
    unit: 's',
    show: seconds,
    byScenario: { smoke: 0, trace: 0 },
  }),
  vus: defaulted('vus', p.positiveInt(), 2, 'concurrency for closed-model scenarios', {
    unit: 'VUs',
    byScenario: { smoke: 1 },
  }),
  maxVus: defaulted('max-vus', p.positiveInt(), 64, 'cap on VUs for arrival-rate scenarios', { unit: 'VUs' }),
  concurrency: knob(
    'concurrency',
    p.concurrencyList,
    'steps of the `concurrency` scenario: ascending concurrent requests, e.g. `1,2,4,8,16`',
    { unsetMeans: '1, 2, 4, … up to `MAX_VUS`', show: (v) => v.join(',') },
  ),
  loadModel: knob(
    'load-model',
    p.oneOf(['open', 'closed']),
    '`make capacity`: `open` searches a rate (arrival rate), `closed` a concurrency (servers limited by slots)',
    { unsetMeans: 'open' },
  ),
  arrival: defaulted('arrival', p.oneOf(ARRIVALS), 'constant', `inter-arrival distribution: ${ARRIVALS.join(', ')}`),
  seed: defaulted('seed', p.nonNegativeInt, 1, 'seed of workload sampling and arrival jitter'),
  engine: defaulted(
    'engine',
    p.oneOf(['onnx', 'sim']),
    'onnx',
    'engine of the local reference server (when no TARGET): `onnx` or `sim`',
  ),
  promptSet: knob('prompts', p.text, 'workload: prompt set (`short`, `long`, `mixed`)', {
    unsetMeans: "scenario's own",
  }),
  maxTokens: knob('max-tokens', p.positiveInt(), 'workload: max_tokens per LLM request', {
    unit: 'tokens',
    unsetMeans: "scenario's own",
  }),
  steps: knob('steps', p.positiveInt(), 'workload: denoising steps per image', { unsetMeans: "scenario's own" }),
  sizePx: knob('size', p.positiveInt(), 'workload: image size (square)', { unit: 'px', unsetMeans: "scenario's own" }),
  stream: knob('stream', p.bool, 'workload: stream LLM responses', { unsetMeans: "scenario's own" }),
  itlSamples: knob(
    'itl-samples',
    p.oneOf(['token', 'request']),
    'inter-token latency samples: `token`: one per gap (exact percentiles; k6 keeps every sample, 3.65 MB per 1,000 64-token streams); `request`: one per request, its mean gap (ITL thresholds then judge per-request means), every exact gap in `itl.jsonl` (0.41 MB per 1,000; `node --import tsx bench/protocol/memory.ts`)',
    { byScenario: { soak: 'request' }, unsetMeans: '`token`' },
  ),
  ignoreEos: knob(
    'ignore-eos',
    p.bool,
    'workload: force every answer to its requested output length (ignore_eos, min_tokens)',
    { unsetMeans: 'false' },
  ),
  inputTokens: knob(
    'input-tokens',
    p.lengthDist,
    'workload: input tokens per LLM request: `N`, `A..B` (uniform) or `N~S` (normal)',
    { unit: 'tokens', unsetMeans: 'from `PROMPTS`' },
  ),
  outputTokens: knob(
    'output-tokens',
    p.lengthDist,
    'workload: output tokens (max_tokens) per LLM request: `N`, `A..B` or `N~S`',
    { unit: 'tokens', unsetMeans: 'from `MAX_TOKENS`' },
  ),
  tokenPairs: knob(
    'token-pairs',
    p.tokenPairs,
    'workload: input:output token pairs, one picked per request, e.g. `128:64,512:128`',
    { unit: 'tokens' },
  ),
  tokenizer: knob(
    'tokenizer',
    p.text,
    'workload: Hugging Face `tokenizer.json` (file or folder) that measures tokens, or `bytes` (what the reference server counts)',
    { unsetMeans: '`o200k_base`' },
  ),
  dataset: knob(
    'dataset',
    p.text,
    'workload: prompts from a JSONL file (prompt or messages, max_tokens, size, steps) or ShareGPT JSON, in file order',
  ),
  trace: knob(
    'trace',
    p.text,
    '`SCENARIO=trace`: JSONL trace (timestamp ms, input and output lengths; Mooncake or Azure columns)',
  ),
  traceSpeed: knob('trace-speed', p.positiveNumber, '`SCENARIO=trace`: time scale (2 = twice as fast)', {
    unsetMeans: '1',
  }),
  prefixes: knob('prefixes', p.positiveInt(), 'workload: distinct shared system prompts (prefix caching)'),
  prefixTokens: knob('prefix-tokens', p.positiveInt(), 'workload: length of each shared system prompt', {
    unit: 'tokens',
  }),
  prefixShare: knob('prefix-share', p.fraction, 'workload: fraction of requests that carry a shared system prompt', {
    unsetMeans: '1',
  }),
  turns: knob('turns', p.positiveInt(), 'workload: turns per conversation (turn t carries the earlier turns)', {
    unsetMeans: '1',
  }),
  workloadFile: knob(
    'workload-file',
    p.text,
    "workload: send a previous run's `workload.jsonl` again (same requests for baseline and candidate)",
  ),
  workload: knob(
    'workload',
    p.workloadPairs,
    'more workload keys as `key=value` pairs, comma-separated (see `lib/shared/workload/README.md`)',
  ),
  instances: defaulted(
    'instances',
    p.positiveInt(64),
    1,
    'k6 processes on execution segments, merged exactly from raw samples',
  ),
  prometheusRw: knob(
    'prometheus-rw',
    p.httpUrl,
    'Prometheus base URL to stream k6 metrics to (remote write), e.g. http://127.0.0.1:9090',
  ),
  resultsDir: defaulted('results', p.text, 'results', 'folder that receives run folders'),
  runName: knob('name', p.runName, 'label appended to the run folder name'),
  allowRemote: defaulted('allow-remote', p.bool, false, 'allow a TARGET that is not on loopback'),
} as const;

/** `make capacity` beyond the load knobs: the search and the capacity plan */
export const CAPACITY_KNOBS = {
  minRps: knob('min-rate', p.numberIn(0, Infinity, false, true), 'lowest rate the search tries', {
    unit: 'requests/s',
    unsetMeans: '`RATE` / 4',
  }),
  toleranceRatio: defaulted('tolerance', p.ratio(0.5), 0.03, 'stop when the interval is this narrow, relative', {
    show: percent,
  }),
  maxSteps: defaulted('max-steps', p.numberIn(1, 200, true), 20, 'most steps the search may run'),
  timeBudgetSeconds: defaulted(
    'time-budget',
    p.budget,
    600,
    'wall-clock budget of the search; it stops (incomplete) when the next step would not fit',
    { unit: 's', show: seconds },
  ),
  confirmRepeats: defaulted('confirm', p.numberIn(0, 5, true), 1, 'extra passing runs the reported rate needs'),
  probeConcurrency: defaulted(
    'probe-concurrency',
    p.numberIn(0, 10000, true),
    128,
    'open model: requests in flight of the first step, a throughput probe that finds the ceiling (0: bracket from RATE)',
    { unit: 'requests' },
  ),
  peakRps: knob('peak-rps', p.numberIn(0, Infinity, false, true), 'plan: expected peak rate', { unit: 'requests/s' }),
  headroomRatio: defaulted('headroom', p.ratio(1), 0.2, 'plan: share of each replica kept spare', { show: percent }),
  pricePerHour: knob('price-per-hour', p.numberIn(0, Infinity), 'plan: price of one GPU-hour or instance-hour'),
  unitsPerReplica: defaulted(
    'gpus-per-replica',
    p.numberIn(0, 1024, false, true),
    1,
    'plan: GPUs (or instances) per replica',
  ),
  currency: defaulted('currency', p.currency, 'USD', 'plan: currency label'),
} as const;

/** `make package-operator` beyond the load knobs */
export const OPERATOR_KNOBS = {
  parallelism: knob('parallelism', p.positiveInt(1000), 'k6-operator runner pods (execution segments)', {
    unsetMeans: '`INSTANCES`',
  }),
  image: knob('image', p.text, 'runner image (needs the SSE extension)', { unsetMeans: 'the Dockerfile image name' }),
  namespace: knob('namespace', p.text, 'Kubernetes namespace of the manifests', { unsetMeans: "kubectl's current" }),
} as const;

/** The tables by the Make target group that forwards them (Makefile LOAD_VARS, CAPACITY_VARS, OPERATOR_VARS). */
export const KNOB_TABLES = { load: LOAD_KNOBS, capacity: CAPACITY_KNOBS, operator: OPERATOR_KNOBS } as const;
export type KnobGroup = keyof typeof KNOB_TABLES;

/** Every row of every table, for flags and help. */
export const KNOBS: ReadonlyArray<Knob<unknown>> = [
  ...Object.values(LOAD_KNOBS),
  ...Object.values(CAPACITY_KNOBS),
  ...Object.values(OPERATOR_KNOBS),
];

/** The value each knob of a table holds once parsed. */
export type ValuesOf<T> = { [K in keyof T]: T[K] extends Knob<infer V> ? V : never };
export type LoadKnobTypes = ValuesOf<typeof LOAD_KNOBS>;
export type LoadKnobKey = keyof typeof LOAD_KNOBS;

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

/** The knobs that shape the request list built before k6 starts (lib/cli/run/build-workload.ts), parsed. */
export type RequestList = Pick<
  TableValues<typeof LOAD_KNOBS>,
  | 'inputTokens'
  | 'outputTokens'
  | 'tokenPairs'
  | 'tokenizer'
  | 'dataset'
  | 'trace'
  | 'traceSpeed'
  | 'prefixes'
  | 'prefixTokens'
  | 'prefixShare'
  | 'turns'
  | 'workloadFile'
>;
