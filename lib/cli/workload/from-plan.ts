// Builds a run's requests before k6 starts and writes them to
// <runDir>/workload.jsonl (lib/cli/workload): the plan's phases (the same plan
// k6 runs, lib/shared/scenarios.ts) each get a block of lines; each line holds
// the exact body for the target's API. Sources: a previous run's file
// (WORKLOAD_FILE, sent again as it is), a trace (TRACE), a dataset (DATASET), or
// synthetic token-exact prompts (INPUT_TOKENS / OUTPUT_TOKENS / TOKEN_PAIRS,
// prefixes, turns). Every problem is reported at once as a ConfigError.

import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TargetApi } from '../../shared/run-config.ts';
import { phaseBlocks } from '../../shared/plan/requests.ts';
import { planRun, scenarioDef } from '../../shared/scenarios.ts';
import { mixSeed } from '../../shared/stats/random.ts';
import { bodyOf, type BodyOptions } from '../../shared/targets/bodies.ts';
import { canStream } from '../../shared/targets/apis.ts';
import { parseMix } from '../../shared/workload/defaults.ts';
import type { Workload } from '../../shared/workload/defaults.ts';
import { ConfigError } from '../errors.ts';
import { RUN_FILE } from '../run-folder/names.ts';
import { workloadItems, type WorkloadSpec } from './build.ts';
import { readDataset } from './dataset.ts';
import { readWorkloadFile, writeWorkloadFile, type WorkloadHeader } from './file.ts';
import { buildFromFile } from './from-file.ts';
import type { RunWorkload, RunWorkloadInput } from './plan-input.ts';
import { lengthsOf } from './plan-lengths.ts';
import { loadTokenizer } from './tokenizer.ts';
import { readTrace, type TraceRow } from './trace.ts';

export type { RunWorkload, RunWorkloadInput } from './plan-input.ts';

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
  const path = join(input.runDir, RUN_FILE.workload);
  const pathForK6 = input.pathForK6 ?? path;

  if (knobs.workloadFile !== undefined) return buildFromFile(input, knobs.workloadFile, path, pathForK6);

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
