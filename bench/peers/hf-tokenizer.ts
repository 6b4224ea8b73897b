// A Hugging Face tokenizer folder (tokenizer.json + tokenizer_config.json) for
// the llama server's model, from the same vocab-only GGUF, so a peer that needs
// a tokenizer (AIPerf) can load one offline. The GGUF's SentencePiece pieces
// become a BPE model with byte fallback, merges recovered from the vocab, and
// the Llama metaspace rules (what Hugging Face's own converter builds); it
// splits "hello world, the quick brown fox jumps over the lazy dog" into the
// same 15 ids as llama.cpp.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readGguf, scalarOf, T } from '../../test/targets/llama-cpp/gguf.ts';

/**
 * BPE merges recovered from a SentencePiece BPE vocab, as Hugging Face's
 * converter does: every split of a normal piece into two pieces of the vocab,
 * ordered by the merged piece's rank (its id: SentencePiece sorts by score),
 * then by the parts' ids.
 */
function merges(pieces: string[], normal: (id: number) => boolean): Array<[string, string]> {
  const idOf = new Map(pieces.map((p, i) => [p, i]));
  const out: Array<{ m: [string, string]; key: [number, number, number] }> = [];
  pieces.forEach((p, i) => {
    if (!normal(i)) return;
    const chars = [...p];
    for (let k = 1; k < chars.length; k++) {
      const a = chars.slice(0, k).join('');
      const b = chars.slice(k).join('');
      const ia = idOf.get(a);
      const ib = idOf.get(b);
      if (ia !== undefined && ib !== undefined && normal(ia) && normal(ib)) out.push({ m: [a, b], key: [i, ia, ib] });
    }
  });
  out.sort((x, y) => x.key[0] - y.key[0] || x.key[1] - y.key[1] || x.key[2] - y.key[2]);
  return out.map((x) => x.m);
}

export function writeHfTokenizer(vocabGguf: string, outDir: string): string {
  const f = readGguf(readFileSync(vocabGguf));
  const tokens = f.kv.get('tokenizer.ggml.tokens');
  const scores = f.kv.get('tokenizer.ggml.scores');
  const types = f.kv.get('tokenizer.ggml.token_type');
  if (tokens?.type !== T.array || scores?.type !== T.array || types?.type !== T.array)
    throw new Error(`${vocabGguf}: no tokenizer tokens, scores and token types`);
  const piece = (i: number) => String(tokens.values[i]);
  const special = (i: number) => Number(types.values[i]) === 2 || Number(types.values[i]) === 3; // unknown, control
  const id = (k: string, d: number) => Number(scalarOf(f.kv, k) ?? d);
  const [unk, bos, eos] = [
    id('tokenizer.ggml.unknown_token_id', 0),
    id('tokenizer.ggml.bos_token_id', 1),
    id('tokenizer.ggml.eos_token_id', 2),
  ];
  const json = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: tokens.values
      .map((_, i) => i)
      .filter(special)
      .map((i) => ({
        id: i,
        content: piece(i),
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: false,
        special: true,
      })),
    normalizer: {
      type: 'Sequence',
      normalizers: [
        { type: 'Prepend', prepend: '▁' },
        { type: 'Replace', pattern: { String: ' ' }, content: '▁' },
      ],
    },
    pre_tokenizer: null,
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: piece(bos), type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: piece(bos), type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 0 } },
      ],
      special_tokens: { [piece(bos)]: { id: piece(bos), ids: [bos], tokens: [piece(bos)] } },
    },
    decoder: {
      type: 'Sequence',
      decoders: [
        { type: 'Replace', pattern: { String: '▁' }, content: ' ' },
        { type: 'ByteFallback' },
        { type: 'Fuse' },
        { type: 'Strip', content: ' ', start: 1, stop: 0 },
      ],
    },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: piece(unk),
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: true,
      byte_fallback: true,
      ignore_merges: false,
      vocab: Object.fromEntries(tokens.values.map((_, i) => [piece(i), i])),
      merges: merges(tokens.values.map(String), (i) => Number(types.values[i]) === 1),
    },
  };
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'tokenizer.json'), JSON.stringify(json));
  writeFileSync(
    join(outDir, 'tokenizer_config.json'),
    JSON.stringify(
      {
        tokenizer_class: 'PreTrainedTokenizerFast',
        bos_token: piece(bos),
        eos_token: piece(eos),
        unk_token: piece(unk),
        model_max_length: 2048,
        add_bos_token: true,
      },
      null,
      1,
    ),
  );
  writeFileSync(
    join(outDir, 'special_tokens_map.json'),
    JSON.stringify({ bos_token: piece(bos), eos_token: piece(eos), unk_token: piece(unk) }, null, 1),
  );
  return outDir;
}
