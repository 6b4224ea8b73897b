import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkloadInputError } from './errors.ts';
import { byteLevelBpeJson, wordLevelJson, writeTokenizerJson } from '../../../test/fixtures/tokenizer-json.ts';
import { BUILTIN_TOKENIZER, builtinTokenizer, loadTokenizer } from './tokenizer.ts';

const dir = mkdtempSync(join(tmpdir(), 'genload-tok-'));

test('builtin: o200k_base, content tokens only, special-token text encoded as text', () => {
  const t = builtinTokenizer();
  assert.equal(t.name, BUILTIN_TOKENIZER);
  assert.equal(loadTokenizer(undefined), t);
  assert.equal(loadTokenizer(''), t);
  const ids = t.encode('Hello world');
  assert.deepEqual(ids, [13225, 2375]);
  assert.equal(t.decode(ids), 'Hello world');
  assert.ok(t.encode('a <|endoftext|> b').length > 3, 'the special token string is several plain tokens');
});

test('HF tokenizer.json: file or folder, with tokenizer_config.json, no special tokens added', () => {
  const file = writeTokenizerJson(dir, 'bpe', byteLevelBpeJson());
  writeFileSync(
    join(dir, 'bpe', 'tokenizer_config.json'),
    JSON.stringify({ tokenizer_class: 'PreTrainedTokenizerFast' }),
  );
  for (const path of [file, join(dir, 'bpe')]) {
    const t = loadTokenizer(path);
    assert.equal(t.name, file);
    const text = 'The quiet engineer repaired the bridge.';
    const ids = t.encode(text);
    assert.ok(ids.length > 5 && ids.length < text.length, `${ids.length} tokens`);
    assert.equal(t.decode(ids), text);
  }
});

test('HF WordLevel: a word outside the vocab counts as one unknown token', () => {
  const t = loadTokenizer(writeTokenizerJson(dir, 'wl', wordLevelJson()));
  const ids = t.encode('the fox zyxwv .');
  assert.equal(ids.length, 4);
  assert.ok(ids.every((id) => Number.isInteger(id)));
});

test('loadTokenizer names TOKENIZER, the path and the reason', () => {
  mkdirSync(join(dir, 'empty'), { recursive: true });
  writeFileSync(join(dir, 'bad.json'), '{not json');
  writeFileSync(join(dir, 'other.json'), JSON.stringify({ hello: 1 }));
  writeFileSync(join(dir, 'list.json'), '[1,2]');
  writeFileSync(
    join(dir, 'weird.json'),
    JSON.stringify({
      normalizer: null,
      pre_tokenizer: null,
      post_processor: null,
      decoder: null,
      added_tokens: [],
      model: { type: 'Nonsense', vocab: {} },
    }),
  );
  const cases: Array<[string, RegExp]> = [
    [join(dir, 'missing.json'), /no such file/],
    [join(dir, 'empty'), /the folder has no tokenizer\.json/],
    [join(dir, 'bad.json'), /not JSON/],
    [join(dir, 'list.json'), /not a JSON object/],
    [join(dir, 'other.json'), /no "model" object/],
    [join(dir, 'weird.json'), /model type 'Nonsense' is not one of BPE, WordPiece, Unigram, WordLevel/],
  ];
  for (const [path, reason] of cases) {
    assert.throws(
      () => loadTokenizer(path),
      (err: unknown) => {
        assert.ok(err instanceof WorkloadInputError, String(err));
        assert.equal(err.problems.length, 1);
        assert.ok(
          err.problems[0]!.startsWith(`TOKENIZER: must be a Hugging Face tokenizer.json, but ${path}: `),
          err.problems[0],
        );
        assert.match(err.problems[0]!, reason);
        return true;
      },
    );
  }
});
