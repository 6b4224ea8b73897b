// The property the fast path rests on, per tokenizer kind: for any sequence of
// genload's words (any word, any punctuation, paragraph breaks after sentence
// ends), encoding the text gives exactly the words' cached ids one after the
// other. A tokenizer whose tokens reach across words must fail it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  acrossWordsBpeJson,
  byteLevelBpeJson,
  llama3BpeJson,
  sentencePieceBpeJson,
  wordLevelJson,
  writeTokenizerJson,
} from '../../../test/fixtures/tokenizer-json.ts';
import { Punct, WORDS, type Word } from './text.ts';
import { builtinTokenizer, bytesTokenizer, loadTokenizer, type Tokenizer } from './tokenizer.ts';
import { hasPara, Lead, UnitTable, unitText, variant } from './units.ts';

const dir = mkdtempSync(join(tmpdir(), 'genload-units-'));
const tokenizers: Array<[string, Tokenizer]> = [
  ['builtin o200k_base', builtinTokenizer()],
  ['bytes', bytesTokenizer()],
  ['HF byte-level BPE', loadTokenizer(writeTokenizerJson(dir, 'bpe', byteLevelBpeJson()))],
  ['HF Llama-3 style BPE', loadTokenizer(writeTokenizerJson(dir, 'llama3', llama3BpeJson()))],
  ['HF SentencePiece-style BPE', loadTokenizer(writeTokenizerJson(dir, 'spm', sentencePieceBpeJson()))],
  ['HF WordLevel', loadTokenizer(writeTokenizerJson(dir, 'wl', wordLevelJson()))],
];

/** any word of the grammar, any punctuation after it, a paragraph break after '.' or '?' now and then */
const unitSeq = fc.array(
  fc.record({
    word: fc.integer({ min: 0, max: WORDS.length - 1 }),
    punct: fc.constantFrom(Punct.none, Punct.comma, Punct.stop, Punct.question),
    para: fc.boolean(),
  }),
  { minLength: 1, maxLength: 40 },
);

function compose(table: UnitTable, seq: Array<{ word: number; punct: number; para: boolean }>) {
  let text = '';
  const ids: number[] = [];
  let lead: number = Lead.start;
  seq.forEach((s, k) => {
    const para = s.para && k < seq.length - 1 && (s.punct === Punct.stop || s.punct === Punct.question);
    const v = variant(lead, s.punct, para);
    const w = WORDS[s.word] as Word;
    text += unitText(w, v);
    ids.push(...table.idsOf(w, v));
    lead = hasPara(v) ? Lead.para : Lead.space;
  });
  return { text, ids };
}

for (const [name, tok] of tokenizers) {
  test(`additive: a text's ids are its words' ids, one after the other (${name})`, () => {
    assert.equal(tok.additivity.additive, true, tok.additivity.reason);
    const table = new UnitTable(tok);
    fc.assert(
      fc.property(unitSeq, (seq) => {
        const { text, ids } = compose(table, seq);
        assert.deepEqual(tok.encode(text), ids, JSON.stringify(text));
        assert.equal(table.countText(text), ids.length);
      }),
      { numRuns: 400, seed: 23 },
    );
  });
}

test('not additive: tokens that reach across words break the property (so calibration can catch them)', () => {
  const tok = loadTokenizer(writeTokenizerJson(dir, 'across', acrossWordsBpeJson()));
  const table = new UnitTable(tok);
  const out = fc.check(
    fc.property(unitSeq, (seq) => {
      const { text, ids } = compose(table, seq);
      return tok.encode(text).join(',') === ids.join(',');
    }),
    { numRuns: 400, seed: 23 },
  );
  assert.equal(out.failed, true);
});

test("countText: only texts made of the grammar's words, single spaces and paragraph breaks after a sentence", () => {
  const table = new UnitTable(builtinTokenizer());
  assert.equal(
    table.countText('The harbour.\n\nA fox, since.'),
    builtinTokenizer().encode('The harbour.\n\nA fox, since.').length,
  );
  for (const text of [
    'The  harbour.',
    ' The',
    'The ',
    'The harbour\n\nA fox',
    'The harbour.\n\n',
    'Zebra',
    'the;',
    'The\nfox',
    '',
  ])
    assert.equal(table.countText(text), undefined, JSON.stringify(text));
});
