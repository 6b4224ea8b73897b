// genload side by side with a peer tool (AIPerf 0.13.0, from PyPI) at the same
// rate on the same real server: llama-cpp-python's OpenAI server with the tiny
// GGUF Llama of the e2e tier, one thread. Both stream chat completions with
// ignore_eos/min_tokens forcing --max-tokens, short prompts (~20 tokens).
// Reports TTFT, ITL and e2e medians and p95 of both; writes results.json here.
// Not a test. Run: node --import tsx bench/peers/run.ts [--rate 2] [--seconds 30] [--max-tokens 32]
//
// AIPerf needs a tokenizer and cannot download one: hf-tokenizer.ts writes one
// from the server's own vocab. AIPerf counts output tokens by re-tokenizing the
// streamed text (--use-server-token-count needs usage in the stream, which
// llama-cpp-python does not send), and random-weight text re-tokenizes into
// more tokens than were generated, so its ITL ((e2e - TTFT) / (tokens - 1)) is
// low; its inter-chunk latency is the figure comparable to genload's ITL.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cacheRoot } from '../../lib/cli/k6/cache-key.ts';
import { TREND } from '../../lib/shared/metrics.ts';
import type { Summary } from '../../lib/shared/summary.ts';
import { ensureTinyLlama } from '../../test/targets/llama-cpp/model.ts';
import { ensureLlamaCpp } from '../../test/targets/llama-cpp/provision.ts';
import { startLlamaServer } from '../../test/targets/llama-cpp/server.ts';
import { writeHfTokenizer } from './hf-tokenizer.ts';

const AIPERF_VERSION = '0.13.0';
const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '2' },
    seconds: { type: 'string', default: '30' },
    'max-tokens': { type: 'string', default: '32' },
  },
});
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const maxTokens = Number(values['max-tokens']);

const root = cacheRoot(process.env);
const lcp = await ensureLlamaCpp({ cacheRoot: root });
const model = ensureTinyLlama(root, lcp.vocabPath);

/** AIPerf in its own venv under the cache (pip, PyPI; pulls transformers, no torch). */
function ensureAiperf(): string {
  const venv = join(root, 'peers', `aiperf-${AIPERF_VERSION}`);
  const bin = join(venv, 'bin', 'aiperf');
  if (existsSync(bin)) return bin;
  mkdirSync(dirname(venv), { recursive: true });
  for (const [cmd, args] of [
    ['python3', ['-m', 'venv', venv]],
    [join(venv, 'bin', 'pip'), ['install', '-q', `aiperf==${AIPERF_VERSION}`]],
  ] as const) {
    const r = spawnSync(cmd, args, { stdio: 'inherit', timeout: 30 * 60_000 });
    if (r.status !== 0) throw new Error(`installing AIPerf failed; reason: ${cmd} exited ${r.status}`);
  }
  return bin;
}

const work = mkdtempSync(join(tmpdir(), 'genload-peers-'));
const server = await startLlamaServer({
  python: lcp.python,
  modelPath: model.path,
  logPath: join(work, 'llama-server.log'),
});
type Stats = { p50: number; p95: number };
const pick = (o: { p50: number; p95: number } | undefined): Stats | null =>
  o === undefined ? null : { p50: round(o.p50), p95: round(o.p95) };
const round = (x: number) => Math.round(x * 10) / 10;
try {
  const aiperf = ensureAiperf();
  const tokenizer = writeHfTokenizer(lcp.vocabPath, join(work, 'tokenizer'));
  const aiperfArgs = [
    'profile',
    '-m',
    server.model,
    '--url',
    server.url,
    '--endpoint-type',
    'chat',
    '--streaming',
    '--request-rate',
    String(rate),
    '--request-count',
    String(Math.round(rate * seconds)),
    '--tokenizer',
    tokenizer,
    '--synthetic-input-tokens-mean',
    '20',
    '--synthetic-input-tokens-stddev',
    '0',
    '--output-tokens-mean',
    String(maxTokens),
    '--extra-inputs',
    'ignore_eos:true',
    '--extra-inputs',
    `min_tokens:${maxTokens}`,
    '--random-seed',
    '1',
    '--artifact-dir',
    join(work, 'aiperf'),
    '--ui-type',
    'none',
  ];
  const a = spawnSync(aiperf, aiperfArgs, { encoding: 'utf8', timeout: 10 * 60_000 });
  if (a.status !== 0) throw new Error(`aiperf exited ${a.status}: ${a.stderr.slice(-2000)}`);
  const ap = JSON.parse(readFileSync(join(work, 'aiperf', 'profile_export_aiperf.json'), 'utf8')) as Record<
    string,
    { p50: number; p95: number; avg: number } | undefined
  >;

  const genloadArgs = [
    '--import',
    'tsx',
    'lib/cli/main.ts',
    'load',
    '--scenario',
    'llm-stream',
    '--target',
    server.url,
    '--api',
    'openai-chat',
    '--model',
    server.model,
    '--rate',
    String(rate),
    '--duration',
    String(seconds),
    '--warmup',
    '2',
    '--max-tokens',
    String(maxTokens),
    '--prompts',
    'short',
    '--workload',
    'ignoreEos=true',
    '--slo',
    'ci-smoke',
    '--results',
    join(work, 'genload'),
    '--name',
    'peers',
  ];
  const g = spawnSync(process.execPath, genloadArgs, {
    cwd: join(here, '../..'),
    encoding: 'utf8',
    timeout: 10 * 60_000,
  });
  const runDir = /results in (\S+)/.exec(g.stderr)?.[1];
  if (runDir === undefined) throw new Error(`genload exited ${g.status}: ${g.stderr.slice(-2000)}`);
  const s = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as Summary;
  const llm = s.stages.find((x) => x.stage === 'measure')?.classes.llm;
  const lat = llm?.latency ?? {};

  const result = {
    bench: 'peers',
    server: {
      name: 'llama-cpp-python',
      version: lcp.version,
      model: `tiny random Llama GGUF (${model.sha256.slice(0, 12)}), 1 thread`,
    },
    load: { rateRps: rate, seconds, maxTokens, stream: true, forcedLength: true },
    genload: {
      exitCode: g.status,
      valid: s.validity.valid,
      validityReasons: s.validity.reasons,
      requests: llm?.requests ?? 0,
      ttftMs: pick(lat[TREND.ttftMs]),
      itlMs: pick(lat[TREND.itlMs]),
      e2eMs: pick(lat[TREND.e2eMs]),
      outputTokensPerRequest: llm && llm.requests > 0 ? round(llm.outputTokens / llm.requests) : null,
    },
    aiperf: {
      version: AIPERF_VERSION,
      requests: ap['request_count']?.avg ?? null,
      ttftMs: pick(ap['time_to_first_token']),
      itlMs: pick(ap['inter_token_latency']),
      interChunkMs: pick(ap['inter_chunk_latency']),
      e2eMs: pick(ap['request_latency']),
      outputTokensPerRequest:
        ap['output_sequence_length']?.avg === undefined ? null : round(ap['output_sequence_length'].avg),
    },
    commands: { aiperf: `aiperf ${aiperfArgs.join(' ')}`, genload: `node ${genloadArgs.join(' ')}` },
  };
  writeFileSync(join(here, 'results.json'), `${JSON.stringify(result, null, 2)}\n`);
  const row = (name: string, r: { ttftMs: Stats | null; itlMs: Stats | null; e2eMs: Stats | null }) =>
    `${name.padEnd(8)} TTFT ${r.ttftMs?.p50} / ${r.ttftMs?.p95}  ITL ${r.itlMs?.p50} / ${r.itlMs?.p95}  e2e ${r.e2eMs?.p50} / ${r.e2eMs?.p95} ms (p50 / p95)`;
  process.stdout.write(
    `${row('genload', result.genload)}\n${row('aiperf', result.aiperf)}\naiperf inter-chunk ${result.aiperf.interChunkMs?.p50} / ${result.aiperf.interChunkMs?.p95} ms; output tokens per request: genload ${result.genload.outputTokensPerRequest}, aiperf ${result.aiperf.outputTokensPerRequest} (re-tokenized)\n`,
  );
} finally {
  await server.stop();
}
