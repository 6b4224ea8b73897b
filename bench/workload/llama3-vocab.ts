// Llama 3's tokenizer as a Hugging Face tokenizer.json, from the vocab-only GGUF
// that llama.cpp ships for its tokenizer tests (models/ggml-vocab-llama-bpe.gguf,
// inside the llama-cpp-python sdist that `make llama-cpp` caches): the 128,256
// tokens and 280,147 merges of the real vocabulary, Llama 3's split regex, then
// byte-level BPE with ignore_merges, as Meta's tokenizer.json has it. The GGUF's
// own test vectors (.inp texts, .out ids as llama.cpp encodes them) check the
// conversion: verifyLlama3 returns how many of them differ.

import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readGguf, T } from '../../test/targets/llama-cpp/gguf.ts';
import type { Tokenizer } from '../../lib/cli/workload/tokenizer.ts';
import { llama3TokenizerJson } from '../../test/fixtures/tokenizer-json.ts';

const MEMBER = (version: string) => `llama_cpp_python-${version}/vendor/llama.cpp/models/ggml-vocab-llama-bpe.gguf`;

/** Extracts the GGUF and its test vectors from the sdist into `dir`; returns the GGUF's path. */
export function extractLlama3Vocab(sdist: string, version: string, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const m = MEMBER(version);
  execFileSync('tar', ['-xzf', sdist, '-C', dir, m, `${m}.inp`, `${m}.out`]);
  return join(dir, m);
}

/** Writes <outDir>/tokenizer.json and returns its path. */
export function writeLlama3Tokenizer(gguf: string, outDir: string): string {
  const f = readGguf(readFileSync(gguf));
  const tokens = f.kv.get('tokenizer.ggml.tokens');
  const types = f.kv.get('tokenizer.ggml.token_type');
  const merges = f.kv.get('tokenizer.ggml.merges');
  if (tokens?.type !== T.array || types?.type !== T.array || merges?.type !== T.array)
    throw new Error(`${gguf}: no tokenizer tokens, token types and merges`);
  const vocab: Record<string, number> = {};
  const added: object[] = [];
  tokens.values.forEach((t, i) => {
    vocab[String(t)] = i;
    // 3 control, 4 user-defined: matched whole, before the pre-tokenizer
    const type = Number(types.values[i]);
    if (type === 3 || type === 4)
      added.push({
        id: i,
        content: String(t),
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: false,
        special: type === 3,
      });
  });
  const json = llama3TokenizerJson(vocab, merges.values.map(String), added);
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, 'tokenizer.json');
  writeFileSync(file, JSON.stringify(json));
  return file;
}

/** llama.cpp's test vectors for this vocab against `tok`: the number of texts whose ids differ, of how many. */
export function verifyLlama3(gguf: string, tok: Tokenizer): { differ: number; of: number } {
  const texts = readFileSync(`${gguf}.inp`, 'utf8').split('\n__ggml_vocab_test__\n');
  const ids = readFileSync(`${gguf}.out`, 'utf8').split('\n');
  let differ = 0;
  texts.forEach((text, k) => {
    const want = (ids[k] ?? '').trim();
    if (tok.encode(text).join(' ') !== want) differ++;
  });
  return { differ, of: texts.length };
}
