// Builds and writes a synthetic workload the way a run does (lib/cli/workload:
// workloadItems streamed into writeWorkloadFile, OpenAI chat bodies), and reports
// the median seconds and requests/s over --rounds rounds. One more arm uses a
// Hugging Face tokenizer: the Llama tokenizer.json that bench/peers/hf-tokenizer.ts
// writes from the vocab GGUF in ~/.cache/genload when that file is there, else
// the test fixture's byte-level BPE (1,000 merges); its request count is smaller
// (--hf-count) because @huggingface/tokenizers encodes about 50 times slower.
//
// node --import tsx bench/workload/build.ts [--rounds 3] [--count 100000] [--input 128..512] [--output 64] [--hf-count 5000] [--out bench/workload/results.json]

import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { workloadItems, type WorkloadSpec } from '../../lib/cli/workload/build.ts';
import { writeWorkloadFile } from '../../lib/cli/workload/file.ts';
import { byteLevelBpeJson, writeTokenizerJson } from '../../test/fixtures/tokenizer-json.ts';
import { parseLengthDist } from '../../lib/cli/workload/lengths.ts';
import { builtinTokenizer, loadTokenizer, type Tokenizer } from '../../lib/cli/workload/tokenizer.ts';
import { writeHfTokenizer } from '../peers/hf-tokenizer.ts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    count: { type: 'string', default: '100000' },
    input: { type: 'string', default: '128..512' },
    output: { type: 'string', default: '64' },
    'hf-count': { type: 'string', default: '5000' },
    out: { type: 'string', default: join(import.meta.dirname, 'results.json') },
  },
});
const rounds = Number(values.rounds);
const work = mkdtempSync(join(tmpdir(), 'genload-bench-workload-'));
const LLAMA_VOCAB = join(homedir(), '.cache/genload/llama-cpp-python-0.3.36/vocab/ggml-vocab-llama-spm.gguf');

interface Arm {
  name: string;
  tokenizer: Tokenizer;
  count: number;
}

function hfArm(count: number): Arm {
  if (existsSync(LLAMA_VOCAB))
    return {
      name: 'hf-llama',
      tokenizer: loadTokenizer(join(writeHfTokenizer(LLAMA_VOCAB, join(work, 'llama')), 'tokenizer.json')),
      count,
    };
  return {
    name: 'hf-bpe-fixture',
    tokenizer: loadTokenizer(writeTokenizerJson(work, 'bpe', byteLevelBpeJson())),
    count,
  };
}

function round(arm: Arm, seed: number): { seconds: number; bytes: number } {
  const spec: WorkloadSpec = {
    seed,
    count: arm.count,
    llmShare: 1,
    input: parseLengthDist('INPUT_TOKENS', values.input),
    output: parseLengthDist('OUTPUT_TOKENS', values.output),
    tokenizer: arm.tokenizer,
    sizeMixPx: [64],
    stepsMix: [8],
  };
  const t0 = performance.now();
  const header = {
    api: 'openai-chat',
    source: 'synthetic' as const,
    tokenizer: arm.tokenizer.name,
    count: arm.count,
    phases: [{ name: 'all', from: 0, count: arm.count }],
    trace: false,
  };
  const w = writeWorkloadFile(join(work, `${arm.name}.jsonl`), header, workloadItems(spec), {
    bodyOf: (item) =>
      JSON.stringify(
        item.class === 'llm'
          ? { model: 'm', messages: item.messages, max_tokens: item.outputTokens, stream: true }
          : { prompt: item.prompt },
      ),
    fieldsOf: (item) => (item.class === 'llm' ? { stream: true } : {}),
  });
  return { seconds: (performance.now() - t0) / 1000, bytes: w.bytes };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

const arms: Arm[] = [{ name: 'builtin-o200k_base', tokenizer: builtinTokenizer(), count: Number(values.count) }];
if (Number(values['hf-count']) > 0) arms.push(hfArm(Number(values['hf-count'])));
const results = arms.map((arm) => {
  const n = arm.name === 'builtin-o200k_base' ? rounds : 1;
  const runs = Array.from({ length: n }, (_, k) => round(arm, k + 1));
  const seconds = median(runs.map((r) => r.seconds));
  const row = {
    arm: arm.name,
    requests: arm.count,
    rounds: n,
    medianSeconds: Number(seconds.toFixed(2)),
    requestsPerSecond: Math.round(arm.count / seconds),
    fileMB: Number((median(runs.map((r) => r.bytes)) / 1e6).toFixed(1)),
    roundsSeconds: runs.map((r) => Number(r.seconds.toFixed(2))),
  };
  console.log(
    `${row.arm.padEnd(20)} ${String(row.requests).padStart(7)} requests  median ${row.medianSeconds.toFixed(2)} s  ${row.requestsPerSecond} req/s  ${row.fileMB} MB  (rounds ${row.roundsSeconds.join(', ')})`,
  );
  return row;
});
writeFileSync(
  values.out,
  `${JSON.stringify({ tool: 'bench/workload/build.ts', node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model, input: values.input, output: values.output, results }, null, 1)}\n`,
);
rmSync(work, { recursive: true, force: true });
