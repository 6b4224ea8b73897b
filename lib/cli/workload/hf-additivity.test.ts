import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  byteLevelBpeJson,
  llama3BpeJson,
  sentencePieceBpeJson,
  wordLevelJson,
} from '../../../test/fixtures/tokenizer-json.ts';
import { hfAdditivity } from './hf-additivity.ts';

type Json = Record<string, unknown>;
const spm = sentencePieceBpeJson(200) as Json;
const with_ = (base: Json, over: Json): Json => ({ ...base, ...over });
const model = (base: Json, over: Json): Json => with_(base, { model: { ...(base.model as Json), ...over } });

test('additive: pre-tokenizers that split words, and SentencePiece-style BPE whose vocabulary stays inside words', () => {
  for (const json of [byteLevelBpeJson(50), llama3BpeJson(50), wordLevelJson()]) {
    const v = hfAdditivity(json as Json);
    assert.deepEqual(v.additive, true, v.reason);
    assert.match(v.reason, /pre-tokenizer splits words apart/);
  }
  assert.deepEqual(hfAdditivity(spm), {
    additive: true,
    reason: 'no token of its BPE vocabulary reaches across a word boundary',
  });
});

test('not additive, and why: each rule names what breaks it', () => {
  const cases: Array<[Json, Json | undefined, RegExp]> = [
    [
      model(spm, { vocab: { ...((spm.model as Json).vocab as Json), 'e▁t': 99_999 } }),
      undefined,
      /token "e▁t" can join two words/,
    ],
    [
      model(spm, { vocab: { ...((spm.model as Json).vocab as Json), '.\nT': 99_999 } }),
      undefined,
      /token ".\\nT" can join/,
    ],
    [model(spm, { dropout: 0.1 }), undefined, /dropout/],
    [model(spm, { type: 'Unigram' }), undefined, /Unigram model sees whole texts/],
    [
      with_(spm, { normalizer: { type: 'Precompiled', precompiled_charsmap: '' } }),
      undefined,
      /Precompiled normalizer/,
    ],
    [
      with_(spm, { normalizer: { type: 'Replace', pattern: { Regex: ' +' }, content: '▁' } }),
      undefined,
      /Replace normalizer uses a regex/,
    ],
    [with_(spm, { pre_tokenizer: { type: 'FancyNew' } }), undefined, /FancyNew pre-tokenizer/],
    [
      with_(byteLevelBpeJson(50) as Json, { added_tokens: [{ id: 1, content: ' the', special: false }] }),
      undefined,
      /added token " the"/,
    ],
    [byteLevelBpeJson(50) as Json, { additional_special_tokens: ['Harbour'] }, /special token "Harbour"/],
  ];
  for (const [json, config, reason] of cases) {
    const v = hfAdditivity(json, config);
    assert.equal(v.additive, false, v.reason);
    assert.match(v.reason, /^counted by encoding whole prompts: /);
    assert.match(v.reason, reason);
  }
});

test('special tokens spelt with other characters do not matter', () => {
  const json = with_(byteLevelBpeJson(50) as Json, { added_tokens: [{ id: 1, content: '<|eot_id|>', special: true }] });
  assert.equal(hfAdditivity(json).additive, true);
});
