// Tokenizers that count prompt tokens the way a model's server would.
//
// - builtinTokenizer(): OpenAI's o200k_base BPE (GPT-4o and later) from the
//   gpt-tokenizer package; only that encoding's module is imported (about 0.25 s
//   to load). Special-token strings in text are encoded as plain text.
// - loadTokenizer(path): a Hugging Face tokenizer.json (with tokenizer_config.json
//   beside it when present) through @huggingface/tokenizers, pure JavaScript.
//
// encode() counts content tokens only: no BOS/EOS or other special tokens the
// tokenizer's post-processor would add, and no chat-template tokens. A server's
// prompt_tokens is therefore a few tokens above the sum over message contents.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import { decode as o200kDecode, encode as o200kEncode } from 'gpt-tokenizer/encoding/o200k_base';
import { WorkloadInputError } from './errors.ts';
import { hfAdditivity, type Additivity } from './hf-additivity.ts';

export interface Tokenizer {
  /** recorded in the workload file's header: 'o200k_base' or the tokenizer.json path */
  name: string;
  encode(text: string): number[];
  decode(ids: readonly number[]): string;
  /** whether prompt counts add up over words (units.ts), from the tokenizer's structure, and why */
  additivity: Additivity;
}

export const BUILTIN_TOKENIZER = 'o200k_base';
/** TOKENIZER=bytes: one token per UTF-8 byte, what genload's reference server counts (lib/server/pipelines/tokenizer.ts). */
export const BYTES_TOKENIZER = 'bytes';

/** Model types @huggingface/tokenizers 0.2.0 encodes (WordLevel through its vocab-lookup fallback). */
const MODEL_TYPES = ['BPE', 'WordPiece', 'Unigram', 'WordLevel'];

const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

let builtin: Tokenizer | undefined;

/** o200k_base, built once. */
export function builtinTokenizer(): Tokenizer {
  builtin ??= Object.freeze({
    name: BUILTIN_TOKENIZER,
    encode: (text: string) => o200kEncode(text, PLAIN_TEXT),
    decode: (ids: readonly number[]) => o200kDecode(ids),
    additivity: {
      additive: true,
      reason:
        "o200k_base's regex splits text into pieces before BPE, and a space or a line break after punctuation starts a new piece",
    },
  });
  return builtin;
}

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: false });

/** One token per UTF-8 byte (the reference server's tokenizer; a cut inside a character decodes to U+FFFD and is re-cut). */
export function bytesTokenizer(): Tokenizer {
  return Object.freeze({
    name: BYTES_TOKENIZER,
    encode: (text: string) => Array.from(utf8Encoder.encode(text)),
    decode: (ids: readonly number[]) => utf8Decoder.decode(Uint8Array.from(ids)),
    additivity: { additive: true, reason: 'one token per UTF-8 byte' },
  });
}

/**
 * The tokenizer at `path` (a tokenizer.json file, or a folder holding one);
 * undefined gives the builtin, 'bytes' the reference server's byte tokenizer.
 * Throws WorkloadInputError naming TOKENIZER.
 */
export function loadTokenizer(path: string | undefined): Tokenizer {
  if (path === undefined || path === '') return builtinTokenizer();
  if (path === BYTES_TOKENIZER) return bytesTokenizer();
  const fail = (reason: string) =>
    new WorkloadInputError([`TOKENIZER: must be a Hugging Face tokenizer.json, but ${path}: ${reason}`]);
  if (!existsSync(path)) throw fail('no such file');
  const file = statSync(path).isDirectory() ? join(path, 'tokenizer.json') : path;
  if (!existsSync(file)) throw fail('the folder has no tokenizer.json');
  const json = readJson(file, fail);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw fail('not a JSON object');
  const model = (json as { model?: unknown }).model;
  if (typeof model !== 'object' || model === null || typeof (model as { type?: unknown }).type !== 'string')
    throw fail('no "model" object with a "type"');
  const type = (model as { type: string }).type;
  if (!MODEL_TYPES.includes(type)) throw fail(`model type '${type}' is not one of ${MODEL_TYPES.join(', ')}`);
  const configFile = join(dirname(file), 'tokenizer_config.json');
  const config = existsSync(configFile)
    ? readJson(configFile, (reason) => fail(`tokenizer_config.json: ${reason}`))
    : {};
  let hf: HfTokenizer;
  try {
    hf = new HfTokenizer(json, config as object);
    hf.encode('probe', { add_special_tokens: false });
  } catch (err) {
    throw fail((err as Error).message);
  }
  // @huggingface/tokenizers 0.2.0 gives undefined for a word a WordLevel vocab lacks; count it as the unknown token
  const unk = (model as { unk_token?: unknown }).unk_token;
  const unkId = (typeof unk === 'string' ? hf.token_to_id(unk) : undefined) ?? 0;
  const encode = (text: string): number[] => {
    const ids = hf.encode(text, { add_special_tokens: false }).ids;
    for (let k = 0; k < ids.length; k++) if (ids[k] === undefined) ids[k] = unkId;
    return ids;
  };
  return Object.freeze({
    name: file,
    encode,
    decode: (ids: readonly number[]) => hf.decode([...ids], { skip_special_tokens: true }),
    additivity: hfAdditivity(json as Record<string, unknown>, config as Record<string, unknown>),
  });
}

function readJson(file: string, fail: (reason: string) => Error): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw fail(`cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw fail(`not JSON (${(err as Error).message})`);
  }
}
