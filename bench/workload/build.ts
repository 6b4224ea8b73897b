// Builds and writes a synthetic workload the way a run does (lib/cli/workload:
// workloadItems streamed into writeWorkloadFile, OpenAI chat bodies), and reports
// the median seconds and requests/s over --rounds rounds, per arm:
// - the builtin o200k_base;
// - Hugging Face tokenizer.json files the project builds (test/fixtures, no
//   download): a Llama-3 style byte-level BPE (Llama 3's split regex) and a
//   SentencePiece-style BPE ("▁" spaces, byte fallback, no pre-tokenizer);
// - when `make llama-cpp` has cached llama-cpp-python's sdist: Llama 3's real
//   vocabulary (llama3-vocab.ts, checked against llama.cpp's test vectors) and
//   the Llama-2 tokenizer.json that bench/peers/hf-tokenizer.ts writes from
//   llama.cpp's SentencePiece vocab GGUF;
// - the builtin with shared prefixes, with 4-turn conversations, and with the
//   input-length cap (--variants).
// Each arm's first round also encodes --check random requests in full and
// fails unless every one counts exactly (the bench must not time wrong prompts).
//
// node --import tsx bench/workload/build.ts [--rounds 3] [--count 100000] [--input 128..512] [--output 64] [--variants true] [--check 300] [--out bench/workload/results.json]

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { workloadItems, type WorkloadSpec } from '../../lib/cli/workload/build.ts';
import { writeWorkloadFile } from '../../lib/cli/workload/file.ts';
import type { LlmItem, Message } from '../../lib/cli/workload/items.ts';
import { parseLengthDist } from '../../lib/cli/workload/lengths.ts';
import { PromptMaker } from '../../lib/cli/workload/synthetic.ts';
import { builtinTokenizer, loadTokenizer, type Tokenizer } from '../../lib/cli/workload/tokenizer.ts';
import { mixSeed, seededUniform } from '../../lib/shared/stats/random.ts';
import { llama3BpeJson, sentencePieceBpeJson, writeTokenizerJson } from '../../test/fixtures/tokenizer-json.ts';
import { writeHfTokenizer } from '../peers/hf-tokenizer.ts';
import { extractLlama3Vocab, verifyLlama3, writeLlama3Tokenizer } from './llama3-vocab.ts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    count: { type: 'string', default: '100000' },
    input: { type: 'string', default: '128..512' },
    output: { type: 'string', default: '64' },
    variants: { type: 'string', default: 'true' },
    check: { type: 'string', default: '300' },
    out: { type: 'string', default: join(import.meta.dirname, 'results.json') },
  },
});
const rounds = Number(values.rounds);
const count = Number(values.count);
const work = mkdtempSync(join(tmpdir(), 'genload-bench-workload-'));
const LLAMA_CPP = join(homedir(), '.cache/genload/llama-cpp-python-0.3.36');
const LLAMA_VOCAB = join(LLAMA_CPP, 'vocab/ggml-vocab-llama-spm.gguf');
const LLAMA_SDIST = join(LLAMA_CPP, 'sdist/llama_cpp_python-0.3.36.tar.gz');

interface Arm {
  name: string;
  tokenizer: Tokenizer;
  over?: Partial<WorkloadSpec>;
}

function spec(arm: Arm, seed: number): WorkloadSpec {
  return {
    seed,
    count,
    llmShare: 1,
    input: parseLengthDist('INPUT_TOKENS', values.input),
    output: parseLengthDist('OUTPUT_TOKENS', values.output),
    tokenizer: arm.tokenizer,
    sizeMixPx: [64],
    stepsMix: [8],
    ...arm.over,
  };
}

function round(arm: Arm, seed: number): { seconds: number; bytes: number; file: string } {
  const file = join(work, `${arm.name}.jsonl`);
  const t0 = performance.now();
  const header = {
    api: 'openai-chat',
    source: 'synthetic' as const,
    tokenizer: arm.tokenizer.name,
    count,
    phases: [{ name: 'all', from: 0, count }],
    trace: false,
  };
  const w = writeWorkloadFile(file, header, workloadItems(spec(arm, seed)), {
    bodyOf: (item) =>
      JSON.stringify(
        item.class === 'llm'
          ? { model: 'm', messages: item.messages, max_tokens: item.outputTokens, stream: true }
          : { prompt: item.prompt },
      ),
    fieldsOf: (item) => (item.class === 'llm' ? { stream: true } : {}),
  });
  return { seconds: (performance.now() - t0) / 1000, bytes: w.bytes, file };
}

/** Encodes `n` random written requests in full; throws on any count that is not the requested one. */
function check(arm: Arm, file: string, n: number): number {
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n').slice(1);
  const u = seededUniform(mixSeed(n, lines.length));
  for (let k = 0; k < n; k++) {
    const line = JSON.parse(lines[Math.floor(u() * lines.length)] as string) as { body: string; inputTokens: number };
    const messages = (JSON.parse(line.body) as { messages: Message[] }).messages;
    const counted = messages.reduce((s, m) => s + arm.tokenizer.encode(m.content).length, 0);
    if (counted !== line.inputTokens)
      throw new Error(`${arm.name}: a request counts ${counted} tokens encoded in full, not ${line.inputTokens}`);
  }
  return n;
}

const vocabOf = (file: string) =>
  ((JSON.parse(readFileSync(file, 'utf8')) as { model: { vocab: object } }).model.vocab ?? {}) as object;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

const o200k = builtinTokenizer();
const arms: Arm[] = [
  { name: 'o200k_base', tokenizer: o200k },
  { name: 'hf-llama3-style-bpe', tokenizer: loadTokenizer(writeTokenizerJson(work, 'llama3', llama3BpeJson())) },
  {
    name: 'hf-sentencepiece-style-bpe',
    tokenizer: loadTokenizer(writeTokenizerJson(work, 'spm', sentencePieceBpeJson())),
  },
];
if (existsSync(LLAMA_SDIST)) {
  const gguf = extractLlama3Vocab(LLAMA_SDIST, '0.3.36', join(work, 'sdist'));
  const tokenizer = loadTokenizer(writeLlama3Tokenizer(gguf, join(work, 'llama3-vocab')));
  const vectors = verifyLlama3(gguf, tokenizer);
  if (vectors.differ > 0)
    throw new Error(`Llama 3 tokenizer.json: ${vectors.differ} of llama.cpp's ${vectors.of} test vectors differ`);
  arms.push({ name: 'hf-llama3-vocab', tokenizer });
}
if (existsSync(LLAMA_VOCAB))
  arms.push({
    name: 'hf-llama2-vocab',
    tokenizer: loadTokenizer(join(writeHfTokenizer(LLAMA_VOCAB, join(work, 'llama2')), 'tokenizer.json')),
  });
if (values.variants === 'true')
  arms.push(
    {
      name: 'o200k_base PREFIXES=16 PREFIX_TOKENS=256',
      tokenizer: o200k,
      over: { prefixes: { count: 16, tokens: 256, share: 1 } },
    },
    { name: 'o200k_base TURNS=4', tokenizer: o200k, over: { turns: 4 } },
    { name: 'o200k_base cap 1,200 chars', tokenizer: o200k, over: { maxPromptChars: 1200 } },
  );

const results = arms.map((arm) => {
  const runs = Array.from({ length: rounds }, (_, k) => round(arm, k + 1));
  const checked = check(arm, runs[0]?.file ?? '', Number(values.check));
  const seconds = median(runs.map((r) => r.seconds));
  const row = {
    arm: arm.name,
    tokenizer: arm.tokenizer.name.startsWith(work) ? arm.tokenizer.name.slice(work.length + 1) : arm.tokenizer.name,
    vocabulary: arm.tokenizer.name === o200k.name ? undefined : Object.keys(vocabOf(arm.tokenizer.name)).length,
    counting: new PromptMaker(arm.tokenizer).mode,
    requests: count,
    rounds,
    medianSeconds: Number(seconds.toFixed(2)),
    requestsPerSecond: Math.round(count / seconds),
    fileMB: Number((median(runs.map((r) => r.bytes)) / 1e6).toFixed(1)),
    roundsSeconds: runs.map((r) => Number(r.seconds.toFixed(2))),
    checkedInFull: checked,
  };
  console.log(
    `${row.arm.padEnd(42)} ${String(row.requests).padStart(7)} requests  median ${row.medianSeconds.toFixed(2)} s  ${row.requestsPerSecond} req/s  ${row.fileMB} MB  (rounds ${row.roundsSeconds.join(', ')}; ${checked} checked in full; ${row.counting.fast ? 'per word' : 'full encode'})`,
  );
  return row;
});
writeFileSync(
  values.out,
  `${JSON.stringify({ tool: 'bench/workload/build.ts', node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model, input: values.input, output: values.output, results }, null, 1)}\n`,
);
rmSync(work, { recursive: true, force: true });
