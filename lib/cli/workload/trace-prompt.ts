// A trace row's prompt of exactly its input length. With Mooncake hash_ids, the
// prompt starts with the row's full BLOCK_TOKENS-token blocks, each built once per
// hash id (same id = same text, so requests share those blocks as in the trace);
// the rest (a partial last block, tokens past the listed blocks) is unique text.
// Joining texts may merge tokens at the seams, so the unique tail is resized until
// the whole prompt counts exactly; when no tail can fix it, the last shared block
// becomes unique text, and without any shared block the prompt is all unique.
// Counts are PromptMaker.count: table look-ups for genload's prose under a
// tokenizer whose counts add up over words, where the first tail fits.

import { mixSeed } from '../../shared/stats/random.ts';
import { Purpose } from './seeds.ts';
import type { PromptMaker } from './synthetic.ts';
import { BLOCK_TOKENS, type TraceRow } from './trace.ts';

/** hash id → its block's text */
export type BlockCache = Map<number, string>;

const TAIL_TRIES = 6;

export function tracePrompt(
  maker: PromptMaker,
  row: TraceRow,
  seed: number,
  runSeed: number,
  blocks: BlockCache,
): string {
  const ids = row.hashIds ?? [];
  for (let full = Math.min(ids.length, Math.floor(row.inputTokens / BLOCK_TOKENS)); full > 0; full--) {
    const shared = ids
      .slice(0, full)
      .map((h) => block(maker, h, runSeed, blocks))
      .join(' ');
    const sharedTokens = maker.count(shared);
    if (sharedTokens === row.inputTokens) return shared;
    let tail = row.inputTokens - sharedTokens;
    for (let k = 0; k < TAIL_TRIES && tail >= 1; k++) {
      const text = `${shared} ${maker.exact(tail, mixSeed(seed, k)).text}`;
      const n = maker.count(text);
      if (n === row.inputTokens) return text;
      tail += row.inputTokens - n;
    }
  }
  return maker.distinct(row.inputTokens, seed).text;
}

function block(maker: PromptMaker, hashId: number, runSeed: number, blocks: BlockCache): string {
  let text = blocks.get(hashId);
  if (text === undefined) {
    text = maker.exact(BLOCK_TOKENS, mixSeed(runSeed, Purpose.traceBlock, hashId)).text;
    blocks.set(hashId, text);
  }
  return text;
}
