// Builds a run's requests before k6 starts and writes them to
// <runDir>/workload.jsonl (lib/cli/workload): the plan's phases (the same plan
// k6 runs, lib/shared/scenarios.ts) each get a block of lines; each line holds
// the exact body for the target's API. Sources: a previous run's file
// (WORKLOAD_FILE, sent again as it is), a trace (TRACE), a dataset (DATASET), or
// synthetic token-exact prompts (INPUT_TOKENS / OUTPUT_TOKENS / TOKEN_PAIRS,
// prefixes, turns). Every problem is reported at once as a ConfigError.

import { createHash } from 'node:crypto';
import { closeSync, createReadStream, createWriteStream, existsSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { LoadConfig, TargetApi, WorkloadFileRef } from '../../shared/run-config.ts';
import type { Plan } from '../../shared/plan/phase.ts';
import { phaseBlocks, type PhaseBlock } from '../../shared/plan/requests.ts';
import { planRun, scenarioDef } from '../../shared/scenarios.ts';
import { mixSeed } from '../../shared/stats/random.ts';
import { bodyOf, type BodyOptions } from '../../shared/targets/bodies.ts';
import { canStream } from '../../shared/targets/apis.ts';
import { parseMix } from '../../shared/workload/defaults.ts';
import type { Workload } from '../../shared/workload/defaults.ts';
import type { RequestList } from '../config/knobs.ts';
import { ConfigError } from '../errors.ts';
import { workloadItems, type WorkloadSpec } from '../workload/build.ts';
import { readDataset } from '../workload/dataset.ts';
import { readWorkloadFile, writeWorkloadFile, type WorkloadHeader } from '../workload/file.ts';
import { lengthDistProblem, parseTokenPairs, type LengthDist, type TokenPair } from '../workload/lengths.ts';
import { loadTokenizer } from '../workload/tokenizer.ts';
import { readTrace, type TraceRow } from '../workload/trace.ts';

export const WORKLOAD_FILE_NAME = 'workload.jsonl';

export interface RunWorkloadInput {
  runDir: string;
  scenario: string;
  api: TargetApi;
  model: string | undefined;
  load: LoadConfig;
  /** the validated workload record (defaults filled) */
  workload: Workload;
  /** the request-list knobs of the plan, parsed */
  knobs: RequestList;
  /** where k6 will find the file, when not at its path here (k6-operator pods: /test/workload.jsonl) */
  pathForK6?: string;
}

export interface RunWorkload {
  ref: WorkloadFileRef;
  plan: Plan;
  /** one line for the log: what was built */
  description: string;
}

/** Input lengths of the old prompt sets, in tokens (about 1.3 tokens a word of English prose). */
const PROMPT_SET_TOKENS = { short: 24, long: 320 } as const;

/** The length distributions a run asks for: the token knobs (parsed by the configuration table), else the prompt set and max_tokens knobs. */
export function lengthsOf(
  knobs: RunWorkloadInput['knobs'],
  w: Workload,
): { input: LengthDist; output: LengthDist; pairs?: TokenPair[] } {
  const output = knobs.outputTokens ?? outputFromMaxTokens(w);
  const input = knobs.inputTokens ?? inputFromPromptSet(w);
  const pairs = knobs.tokenPairs === undefined ? undefined : [...knobs.tokenPairs];
  return { input, output, ...(pairs === undefined ? {} : { pairs }) };
}

function inputFromPromptSet(w: Workload): LengthDist {
  if (w.promptSet === 'mixed')
    return {
      kind: 'mix',
      parts: [
        { weight: 0.7, dist: { kind: 'fixed', tokens: PROMPT_SET_TOKENS.short } },
        { weight: 0.3, dist: { kind: 'fixed', tokens: PROMPT_SET_TOKENS.long } },
      ],
    };
  return { kind: 'fixed', tokens: PROMPT_SET_TOKENS[w.promptSet] };
}

function outputFromMaxTokens(w: Workload): LengthDist {
  if (w.maxTokensDist === 'uniform') return { kind: 'uniform', min: 1, max: w.maxTokens };
  if (w.maxTokensDist === 'exponential') return { kind: 'exponential', mean: w.maxTokens / 2, max: w.maxTokens };
  return { kind: 'fixed', tokens: w.maxTokens };
}

/**
 * Blocks for a reused file: the file's own when they cover this plan's phases
 * with enough requests, else this plan's blocks laid over the file's requests
 * (shares of it, in order) so a different plan still sends the same requests.
 */
export function blocksOver(plan: Plan, count: number, own: readonly PhaseBlock[]): PhaseBlock[] {
  const wanted = phaseBlocks(plan);
  const ownByName = new Map(own.map((b) => [b.name, b]));
  if (wanted.every((b) => (ownByName.get(b.name)?.count ?? 0) >= Math.min(b.count, count)))
    return wanted.map((b) => ownByName.get(b.name) as PhaseBlock);
  const total = wanted.reduce((a, b) => a + b.count, 0);
  if (total <= count) return wanted;
  let from = 0;
  return wanted.map((b, k) => {
    const share = k === wanted.length - 1 ? count - from : Math.max(1, Math.floor((count * b.count) / total));
    const block = {
      name: b.name,
      from: Math.min(from, count - 1),
      count: Math.max(1, Math.min(share, count - Math.min(from, count - 1))),
    };
    from += share;
    return block;
  });
}

/**
 * Every problem of the request-list knobs, found before anything starts: the
 * length texts, the tokenizer, and the dataset, trace or reused file, parsed.
 */
export function requestListProblems(knobs: RunWorkloadInput['knobs'], w: Workload, api: TargetApi): string[] {
  const problems: string[] = [];
  const check = (f: () => unknown): void => {
    try {
      f();
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems.push(...err.problems);
    }
  };
  // a missing file is already a problem of the knob (lib/cli/config/resolve.ts): each is reported once
  const VARS = { tokenizer: 'TOKENIZER', trace: 'TRACE', dataset: 'DATASET', workloadFile: 'WORKLOAD_FILE' } as const;
  const file = (key: keyof typeof VARS): string | undefined => {
    const v = knobs[key];
    if (v === undefined || !existsSync(v)) return undefined;
    if (key === 'tokenizer' || statSync(v).isFile()) return v;
    if (!problems.some((p) => p.startsWith(`${VARS[key]}: `)))
      problems.push(`${VARS[key]}: must be a file, but '${v}' is a folder`);
    return undefined;
  };
  let tokenizer: ReturnType<typeof loadTokenizer> | undefined;
  if (knobs.tokenizer === undefined || knobs.tokenizer === 'bytes' || file('tokenizer') !== undefined)
    check(() => (tokenizer = loadTokenizer(knobs.tokenizer === 'bytes' ? 'bytes' : file('tokenizer'))));
  const trace = file('trace');
  if (trace !== undefined) check(() => readTrace(trace, knobs.traceSpeed ?? 1));
  const dataset = file('dataset');
  if (dataset !== undefined && tokenizer !== undefined) {
    const t = tokenizer;
    check(() => readDataset(dataset, t));
  }
  if (file('workloadFile') !== undefined) {
    check(() => {
      const h = readWorkloadFile(String(knobs.workloadFile)).header;
      if (h.api !== api) problems.push(`WORKLOAD_FILE: was built for API '${h.api}', but this run's is '${api}'`);
    });
  }
  return problems;
}

export async function buildRunWorkload(input: RunWorkloadInput): Promise<RunWorkload> {
  const { knobs, workload: w, api } = input;
  const path = join(input.runDir, WORKLOAD_FILE_NAME);
  const pathForK6 = input.pathForK6 ?? path;

  if (knobs.workloadFile !== undefined) {
    const read = readWorkloadFile(knobs.workloadFile);
    const source = read.header;
    const problems: string[] = [];
    if (source.api !== api)
      problems.push(`WORKLOAD_FILE: was built for API '${source.api}', but this run's is '${api}'`);
    const trace = source.trace ? { requests: read.count, lastAtMs: read.lastAtMs ?? 0 } : undefined;
    const { plan } = planRun(input.scenario, api, input.load, w, trace);
    if (source.trace && input.scenario !== 'trace')
      problems.push(
        `WORKLOAD_FILE: holds a trace, which replays its own schedule with SCENARIO=trace, but SCENARIO is '${input.scenario}'`,
      );
    if (problems.length > 0) throw new ConfigError(problems);
    const blocks = source.trace
      ? [{ name: 'trace', from: 0, count: source.count }]
      : blocksOver(plan, source.count, source.phases);
    const written = await copyWithHeader(knobs.workloadFile, path, { ...source, phases: blocks });
    if (written.requestsSha256 !== read.requestsSha256)
      throw new Error(`WORKLOAD_FILE: ${knobs.workloadFile} changed while it was copied`);
    return {
      ref: { path: pathForK6, sha256: written.requestsSha256, count: source.count, source: 'file' },
      plan,
      description: `workload: ${source.count} requests from ${knobs.workloadFile} (request list sha256 ${written.requestsSha256.slice(0, 12)})`,
    };
  }

  const problems: string[] = [];
  const lengths = lengthsOf(knobs, w);
  const collect = <T>(f: () => T): T | undefined => {
    try {
      return f();
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems.push(...err.problems);
      return undefined;
    }
  };
  const tokenizer = collect(() => loadTokenizer(knobs.tokenizer));
  const traceRows: TraceRow[] | undefined =
    knobs.trace !== undefined ? collect(() => readTrace(knobs.trace ?? '', knobs.traceSpeed ?? 1)) : undefined;
  const dataset =
    knobs.dataset !== undefined && tokenizer !== undefined
      ? collect(() => readDataset(knobs.dataset ?? '', tokenizer))
      : undefined;
  if (problems.length > 0 || tokenizer === undefined) throw new ConfigError(problems);

  const trace =
    traceRows === undefined
      ? undefined
      : { requests: traceRows.length, lastAtMs: traceRows[traceRows.length - 1]?.atMs ?? 0 };
  const planned = collect(() => {
    try {
      return planRun(input.scenario, api, input.load, w, trace);
    } catch (err) {
      throw new ConfigError([(err as Error).message]);
    }
  });
  if (planned === undefined) throw new ConfigError(problems);
  const { plan, llmShare, workload } = planned;
  const blocks = phaseBlocks(plan);
  const count = blocks.reduce((a, b) => a + b.count, 0);
  const spec: WorkloadSpec = {
    seed: input.load.seed,
    count,
    llmShare,
    input: lengths.input,
    output: lengths.output,
    ...(lengths.pairs === undefined ? {} : { pairs: lengths.pairs }),
    tokenizer,
    ...(dataset === undefined ? {} : { dataset: dataset.entries }),
    ...(traceRows === undefined ? {} : { trace: traceRows }),
    ...(knobs.prefixes !== undefined && knobs.prefixTokens !== undefined
      ? { prefixes: { count: knobs.prefixes, tokens: knobs.prefixTokens, share: knobs.prefixShare ?? 1 } }
      : {}),
    ...(knobs.turns !== undefined ? { turns: knobs.turns } : {}),
    sizeMixPx: parseMix(w.sizeMix, w.sizePx),
    stepsMix: parseMix(w.stepsMix, w.steps),
    maxPromptChars: w.maxPromptChars,
  };
  const source = traceRows !== undefined ? 'trace' : dataset !== undefined ? 'dataset' : 'synthetic';
  const stream = workload.stream && canStream(api);
  const bodyOptions: BodyOptions = {
    api,
    model: input.model,
    stream,
    ignoreEos: workload.ignoreEos,
    requestTemplate: workload.requestTemplate,
    job: scenarioDef(input.scenario).mode === 'job',
  };
  const header: Omit<WorkloadHeader, 'genload' | 'version'> = {
    api,
    source,
    tokenizer: tokenizer.name,
    count,
    phases: blocks,
    trace: traceRows !== undefined,
  };
  const written = collect(() =>
    writeWorkloadFile(path, header, workloadItems(spec), {
      bodyOf: (item, i) => bodyOf(item, requestSeed(input.load.seed, i), bodyOptions),
      fieldsOf: (item, i) => ({ ...(item.class === 'llm' ? { stream } : {}), seed: requestSeed(input.load.seed, i) }),
    }),
  );
  if (written === undefined) throw new ConfigError(problems);
  const what =
    source === 'synthetic' ? `synthetic prompts measured with ${tokenizer.name}` : `${source} ${String(knobs[source])}`;
  return {
    ref: {
      path: pathForK6,
      sha256: written.requestsSha256,
      count: written.count,
      source,
      exactInput: [knobs.inputTokens, knobs.tokenPairs, knobs.trace, knobs.tokenizer].some((k) => k !== undefined),
    },
    plan,
    description: `workload: ${written.count} requests (${what}; ${blocks.map((b) => `${b.name} ${b.count}`).join(', ')})${dataset !== undefined && dataset.skipped > 0 ? `; ${dataset.skipped} dataset entries skipped (no human turn answered)` : ''}`,
  };
}

/** The sampling seed a server gets for request i: fixed by the run seed, different per request. */
export function requestSeed(seed: number, i: number): number {
  return mixSeed(seed, i, 0x5eed) % 2 ** 31;
}

/** Writes `header` as the first line of `dst`, then the request lines of `src` unchanged; the request list's hash. */
async function copyWithHeader(src: string, dst: string, header: WorkloadHeader): Promise<{ requestsSha256: string }> {
  const first = firstLineBytes(src);
  const hash = createHash('sha256');
  const out = createWriteStream(dst);
  out.write(`${JSON.stringify(header)}\n`);
  const input = createReadStream(src, { start: first });
  input.on('data', (chunk) => hash.update(chunk));
  await pipeline(input, out);
  return { requestsSha256: hash.digest('hex') };
}

/** Bytes of a file's first line, its "\n" included. */
function firstLineBytes(path: string): number {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(1 << 16);
    let offset = 0;
    for (let n = readSync(fd, buf, 0, buf.length, 0); n > 0; n = readSync(fd, buf, 0, buf.length, offset)) {
      const nl = buf.subarray(0, n).indexOf(10);
      if (nl >= 0) return offset + nl + 1;
      offset += n;
    }
    return offset;
  } finally {
    closeSync(fd);
  }
}
