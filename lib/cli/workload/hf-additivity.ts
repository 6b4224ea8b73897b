// Whether a Hugging Face tokenizer.json counts genload's prose additively: the
// tokens of "w1 w2 ..." are those of its words (units.ts), so a prompt's count
// is a sum over cached words. Decided from the file's structure:
// - the normalizer must rewrite characters one at a time (Unicode forms,
//   lower-casing, accents, a fixed string replaced, a prefix), never across words;
// - a pre-tokenizer that splits on spaces (ByteLevel's regex, Split, Whitespace,
//   WhitespaceSplit, Bert) cuts the text into pieces before the model sees it, and
//   BPE, WordPiece, WordLevel and Unigram never join pieces;
// - without one (SentencePiece-style BPE: "▁" for spaces, no pre-tokenizer) the
//   whole text is one piece, and BPE only joins what its vocabulary holds: if no
//   token has a space marker after another character, or a line break before
//   one, no token can reach across a word boundary;
// - no added token may be spelt with prose characters (it would be matched
//   inside a prompt before anything else).
// synthetic.ts then checks the verdict by encoding calibration prompts in full.

export interface Additivity {
  additive: boolean;
  reason: string;
}

const CHAR_NORMALIZERS = new Set([
  'NFC',
  'NFD',
  'NFKC',
  'NFKD',
  'Lowercase',
  'StripAccents',
  'BertNormalizer',
  'Prepend',
  'Strip',
]);
const SPLITTING = new Set(['Split', 'Whitespace', 'WhitespaceSplit', 'BertPreTokenizer']);
const NON_SPLITTING = new Set(['Metaspace', 'Digits', 'Punctuation']);
/** characters genload's prose is made of (letters, ", . ?", spaces, line breaks) and the space markers tokenizers use */
const PROSE_ONLY = /^[A-Za-z ,.?\n▁Ġ]+$/;
/** a space marker after another character, or a line break before another character */
const CROSSES_WORDS = /[^ ▁Ġ][ ▁Ġ]|[\nĊ][^\nĊ]/;

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.map(obj).filter((x): x is Json => x !== undefined) : []);

/** undefined when the normalizer is character-local, else why not */
function normalizerProblem(n: Json | undefined): string | undefined {
  if (n === undefined) return undefined;
  const type = String(n.type);
  if (type === 'Sequence') {
    for (const part of list(n.normalizers)) {
      const p = normalizerProblem(part);
      if (p !== undefined) return p;
    }
    return undefined;
  }
  if (type === 'Replace') {
    const pattern = obj(n.pattern);
    return pattern !== undefined && typeof pattern.String === 'string'
      ? undefined
      : 'its Replace normalizer uses a regex, which may rewrite text across words';
  }
  return CHAR_NORMALIZERS.has(type) ? undefined : `its ${type} normalizer may rewrite text across words`;
}

/** 'splits', 'whole' (the model sees whole texts), or a problem */
function preTokenizerKind(p: Json | undefined): 'splits' | 'whole' | string {
  if (p === undefined) return 'whole';
  const type = String(p.type);
  if (type === 'Sequence') {
    let splits = false;
    for (const part of list(p.pretokenizers)) {
      const k = preTokenizerKind(part);
      if (k === 'splits') splits = true;
      else if (k !== 'whole') return k;
    }
    return splits ? 'splits' : 'whole';
  }
  if (type === 'ByteLevel') return p.use_regex === false ? 'whole' : 'splits';
  if (SPLITTING.has(type)) return 'splits';
  if (NON_SPLITTING.has(type)) return 'whole';
  return `its ${type} pre-tokenizer is not one genload knows`;
}

/** The verdict for a tokenizer.json (and its tokenizer_config.json). */
export function hfAdditivity(json: Json, config: Json = {}): Additivity {
  const no = (why: string): Additivity => ({ additive: false, reason: `counted by encoding whole prompts: ${why}` });
  const model = obj(json.model) ?? {};
  const type = String(model.type);
  if (typeof model.dropout === 'number' && model.dropout > 0) return no('its BPE dropout makes encoding random');
  const normalizer = normalizerProblem(obj(json.normalizer));
  if (normalizer !== undefined) return no(normalizer);
  for (const t of list(json.added_tokens))
    if (typeof t.content === 'string' && PROSE_ONLY.test(t.content))
      return no(`its added token ${JSON.stringify(t.content)} can occur inside prose`);
  for (const extra of [config.additional_special_tokens].flat())
    if (typeof extra === 'string' && PROSE_ONLY.test(extra))
      return no(`its special token ${JSON.stringify(extra)} can occur inside prose`);
  const kind = preTokenizerKind(obj(json.pre_tokenizer));
  if (kind === 'splits')
    return { additive: true, reason: `its pre-tokenizer splits words apart before the ${type} model` };
  if (kind !== 'whole') return no(kind);
  if (type !== 'BPE') return no(`without a splitting pre-tokenizer its ${type} model sees whole texts`);
  const vocab = obj(model.vocab) ?? {};
  for (const token of Object.keys(vocab))
    if (CROSSES_WORDS.test(token)) return no(`its vocabulary token ${JSON.stringify(token)} can join two words`);
  return { additive: true, reason: 'no token of its BPE vocabulary reaches across a word boundary' };
}
