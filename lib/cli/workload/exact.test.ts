// Exactness on a large sample, per tokenizer kind: every prompt of a synthetic
// workload (single prompts, shared system prompts, multi-turn conversations, the
// input-length cap, trace blocks) is encoded in full and must count exactly
// what the workload says. The workload itself counts without encoding (units.ts).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  acrossWordsBpeJson,
  llama3BpeJson,
  sentencePieceBpeJson,
  writeTokenizerJson,
} from '../../../test/fixtures/tokenizer-json.ts';
import { workloadItemList, type WorkloadSpec } from './build.ts';
import type { LlmItem } from './items.ts';
import { parseLengthDist } from './lengths.ts';
import { parseTrace } from './trace.ts';
import { builtinTokenizer, bytesTokenizer, loadTokenizer, type Tokenizer } from './tokenizer.ts';

const dir = mkdtempSync(join(tmpdir(), 'genload-exact-'));
const kinds: Array<[string, Tokenizer, number]> = [
  ['o200k_base', builtinTokenizer(), 2000],
  ['bytes', bytesTokenizer(), 2000],
  ['HF Llama-3 style BPE', loadTokenizer(writeTokenizerJson(dir, 'llama3', llama3BpeJson())), 1000],
  ['HF SentencePiece-style BPE', loadTokenizer(writeTokenizerJson(dir, 'spm', sentencePieceBpeJson())), 300],
  ['HF BPE across words (fallback)', loadTokenizer(writeTokenizerJson(dir, 'across', acrossWordsBpeJson())), 100],
];

const spec = (tokenizer: Tokenizer, count: number, over: Partial<WorkloadSpec> = {}): WorkloadSpec => ({
  seed: 11,
  count,
  llmShare: 1,
  input: parseLengthDist('INPUT_TOKENS', '1..512'),
  output: parseLengthDist('OUTPUT_TOKENS', '1..64'),
  tokenizer,
  sizeMixPx: [64],
  stepsMix: [8],
  ...over,
});

function assertExact(tok: Tokenizer, items: ReturnType<typeof workloadItemList>, what: string): void {
  let checked = 0;
  for (const item of items as LlmItem[]) {
    const counted = item.messages.reduce((n, m) => n + tok.encode(m.content).length, 0);
    assert.equal(counted, item.inputTokens, `${what}: ${JSON.stringify(item.messages).slice(0, 300)}`);
    checked++;
  }
  assert.ok(checked > 0);
}

for (const [name, tok, count] of kinds) {
  test(`every prompt counts exactly when encoded in full: ${count} requests (${name})`, () => {
    assertExact(tok, workloadItemList(spec(tok, count)), 'single');
  });

  test(`shared prefixes, turns and the input-length cap count exactly (${name})`, () => {
    const n = Math.max(50, count / 4);
    const prefixes = { count: 4, tokens: 100, share: 0.5 };
    assertExact(tok, workloadItemList(spec(tok, n, { prefixes })), 'prefixes');
    assertExact(tok, workloadItemList(spec(tok, n, { turns: 3, prefixes })), 'turns');
    const capped = workloadItemList(spec(tok, n, { turns: 3, maxPromptChars: 900 }));
    assertExact(tok, capped, 'cap');
    assert.ok((capped as LlmItem[]).some((i) => i.messages.length < 5 && i.inputTokens > 0));
  });
}

test('trace blocks: shared 512-token blocks and unique tails count exactly (o200k_base, Llama-3 style BPE)', () => {
  const lines = Array.from({ length: 60 }, (_, i) =>
    JSON.stringify({
      timestamp: i * 10,
      input_length: 300 + i * 29,
      output_length: 8,
      hash_ids: [i % 3, 10 + (i % 5), 100 + i],
    }),
  ).join('\n');
  const trace = parseTrace(lines);
  for (const [, tok] of [kinds[0]!, kinds[2]!]) assertExact(tok, workloadItemList(spec(tok, 1, { trace })), 'trace');
});
