// Seeded English prose for synthetic prompts: sentences from a small grammar
// (noun phrases, past-tense clauses, connectives, questions, requests) over a
// vocabulary written for genload. Deterministic for a Uniform source; about
// one random draw per word, so 100,000 prompts take well under a second.
// The grammar emits sentences as words (Word: an interned vocabulary entry, with
// the punctuation that follows it), so synthetic.ts can count tokens per word
// (units.ts) instead of encoding whole prompts; prose() renders them as text.

import type { Uniform } from '../../shared/stats/random.ts';

const words = (s: string): readonly string[] => Object.freeze(s.trim().split(/\s+/));

const NOUNS = words(`
  engineer gardener baker pilot teacher doctor painter farmer sailor student writer
  musician carpenter librarian merchant traveller scientist climber fisherman shepherd
  river mountain forest valley harbour island meadow desert glacier canyon village city
  bridge tower castle cottage station market library workshop kitchen garden orchard
  lighthouse cathedral factory museum theatre tunnel road railway fountain courtyard
  engine lantern compass telescope notebook letter map clock mirror window door ladder
  kettle basket blanket candle violin piano camera bicycle wagon boat anchor rope
  storm rain wind snow sunrise sunset morning evening winter summer autumn spring
  signal network server cache request model memory processor battery circuit sensor
  robot satellite rocket antenna keyboard screen database message record report
  apple bread cheese honey coffee tea soup pepper lemon olive grain salt
  fox owl horse whale sparrow wolf bee heron badger otter deer falcon
  idea promise question answer story poem song rumour plan secret lesson journey
`);

const ADJECTIVES = words(`
  quiet bright ancient modern small large golden silver narrow wide heavy light
  careful patient curious brave gentle clever tired eager restless honest humble proud
  old young distant nearby hidden open empty crowded busy silent noisy warm cold
  frozen dusty shiny rusty wooden stone iron glass paper velvet woollen copper
  green blue red yellow grey white black purple amber crimson pale dark
  sudden slow rapid steady fragile sturdy simple complex strange familiar rare
  careless cheerful serious famous modest generous stubborn
`);

/** base and past forms of transitive verbs */
const VERBS: readonly (readonly [string, string])[] = Object.freeze(
  words(`
    repair/repaired paint/painted carry/carried follow/followed visit/visited watch/watched
    build/built find/found lose/lost open/opened close/closed clean/cleaned measure/measured
    describe/described explain/explained study/studied draw/drew write/wrote read/read
    move/moved lift/lifted push/pushed pull/pulled fix/fixed test/tested check/checked
    guard/guarded cross/crossed reach/reached climb/climbed sell/sold buy/bought
    borrow/borrowed return/returned share/shared hide/hid mend/mended polish/polished
    sketch/sketched photograph/photographed remember/remembered forget/forgot praise/praised
    greet/greeted answer/answered question/questioned inspect/inspected count/counted
    weigh/weighed cook/cooked bake/baked plant/planted water/watered feed/fed
    chase/chased catch/caught release/released send/sent receive/received deliver/delivered
    replace/replaced improve/improved compare/compared admire/admired ignore/ignored
  `).map((pair) => Object.freeze(pair.split('/') as [string, string])),
);

const DETERMINERS = words('the the the a a every one that this our their my');
const PREPOSITIONS = words(
  'near behind beside above below across along inside outside beyond under over through toward past around',
);
const CONNECTIVES = words('because while although and but so until after before since whenever');
const OPENERS = Object.freeze([
  'Yesterday',
  'Later that week',
  'In the morning',
  'At dusk',
  'Without warning',
  'Every year',
  'Long ago',
  'For a while',
  'Soon after',
  'Once again',
  'By noon',
  'That winter',
]);
const QUESTIONS = Object.freeze(['Why did', 'How did', 'When did', 'Where did', 'Did']);
const REQUESTS = Object.freeze([
  'Explain why',
  'Describe how',
  'Tell me why',
  'Summarize how',
  'Consider whether',
  'Imagine that',
]);
const ADVERBS = words('slowly quickly carefully quietly gladly barely nearly finally suddenly calmly');

/** A vocabulary entry: `id` indexes per-tokenizer tables (units.ts); `capital` is its sentence-initial form. */
export interface Word {
  readonly id: number;
  readonly text: string;
  readonly capital: Word;
  /** starts with a vowel: takes "an" */
  readonly vowel: boolean;
}

/** Every word the grammar can emit (lower-case forms and their capitals), by id. */
export const WORDS: Word[] = [];
const byText = new Map<string, Word>();

function intern(text: string): Word {
  const known = byText.get(text);
  if (known !== undefined) return known;
  const w = { id: WORDS.length, text, capital: undefined as unknown as Word, vowel: /^[aeiou]/.test(text) };
  WORDS.push(w);
  byText.set(text, w);
  const upper = text.charAt(0).toUpperCase() + text.slice(1);
  w.capital = upper === text ? w : intern(upper);
  return w;
}

/** Punctuation after a word: none, ',', '.', '?' */
export const Punct = Object.freeze({ none: 0, comma: 1, stop: 2, question: 3 });
export const PUNCT_TEXT: readonly string[] = Object.freeze(['', ',', '.', '?']);

/** One sentence as words, each with the punctuation after it; reused buffer (n = its length). */
export class Sentence {
  readonly words: Word[] = [];
  readonly punct: number[] = [];
  n = 0;
  reset(): void {
    this.n = 0;
  }
  push(w: Word): void {
    this.words[this.n] = w;
    this.punct[this.n] = Punct.none;
    this.n++;
  }
  pushAll(ws: readonly Word[]): void {
    for (let k = 0; k < ws.length; k++) this.push(ws[k] as Word);
  }
  /** capitalises the first word and ends the sentence */
  finish(end: number): void {
    this.words[0] = (this.words[0] as Word).capital;
    this.punct[this.n - 1] = end;
  }
  text(): string {
    let s = '';
    for (let k = 0; k < this.n; k++)
      s += (k === 0 ? '' : ' ') + (this.words[k] as Word).text + PUNCT_TEXT[this.punct[k] as number];
    return s;
  }
}

const W = (s: string): readonly Word[] => Object.freeze(words(s).map(intern));
const phrase = (s: string): readonly Word[] => Object.freeze(s.split(' ').map(intern));
const NOUN_W = W(NOUNS.join(' '));
const ADJ_W = W(ADJECTIVES.join(' '));
const VERB_W: readonly (readonly [Word, Word])[] = Object.freeze(
  VERBS.map(([base, past]) => Object.freeze([intern(base), intern(past)] as [Word, Word])),
);
const DET_W = W(DETERMINERS.join(' '));
const PREP_W = W(PREPOSITIONS.join(' '));
const CONN_W = W(CONNECTIVES.join(' '));
const OPENER_W = Object.freeze(OPENERS.map(phrase));
const QUESTION_W = Object.freeze(QUESTIONS.map(phrase));
const REQUEST_W = Object.freeze(REQUESTS.map(phrase));
const ADVERB_W = W(ADVERBS.join(' '));
const A = intern('a');
const AN = intern('an');
const OF = intern('of');
const THE = intern('the');

// `| 0` is Math.floor for these small non-negative numbers, and cheaper
const pick = <T>(u: Uniform, xs: readonly T[]): T => xs[(u() * xs.length) | 0] as T;

function article(det: Word, next: Word): Word {
  return det === A && next.vowel ? AN : det;
}

/** "the old harbour", "an eager pilot", "the lantern of the village" */
function nounPhrase(u: Uniform, out: Sentence): void {
  const det = pick(u, DET_W);
  const r = u();
  if (r < 0.55) {
    const adj = pick(u, ADJ_W);
    out.push(article(det, adj));
    out.push(adj);
    out.push(pick(u, NOUN_W));
  } else if (r < 0.85) {
    const noun = pick(u, NOUN_W);
    out.push(article(det, noun));
    out.push(noun);
  } else {
    const noun = pick(u, NOUN_W);
    out.push(article(det, noun));
    out.push(noun);
    out.push(OF);
    out.push(THE);
    out.push(pick(u, NOUN_W));
  }
}

/** subject, past verb, object, sometimes an adverb or a place */
function clause(u: Uniform, out: Sentence): void {
  nounPhrase(u, out);
  if (u() < 0.15) out.push(pick(u, ADVERB_W));
  out.push(pick(u, VERB_W)[1]);
  nounPhrase(u, out);
  if (u() < 0.4) {
    out.push(pick(u, PREP_W));
    nounPhrase(u, out);
  }
}

/** One sentence into `out` (reset first), capitalised and punctuated. */
export function sentenceWords(u: Uniform, out: Sentence): void {
  out.reset();
  const r = u();
  let end: number = Punct.stop;
  if (r < 0.5) {
    clause(u, out);
    if (u() < 0.45) {
      out.punct[out.n - 1] = Punct.comma;
      out.push(pick(u, CONN_W));
      clause(u, out);
    }
  } else if (r < 0.7) {
    out.pushAll(pick(u, OPENER_W));
    out.punct[out.n - 1] = Punct.comma;
    clause(u, out);
  } else if (r < 0.85) {
    out.pushAll(pick(u, QUESTION_W));
    nounPhrase(u, out);
    out.push(pick(u, VERB_W)[0]);
    nounPhrase(u, out);
    end = Punct.question;
  } else {
    out.pushAll(pick(u, REQUEST_W));
    clause(u, out);
  }
  out.finish(end);
}

/** An opening sentence with many distinct starts: "Every quiet engineer repaired ...". */
export function openingWords(u: Uniform, out: Sentence): void {
  out.reset();
  const det = pick(u, DET_W);
  const adj = pick(u, ADJ_W);
  out.push(article(det, adj));
  out.push(adj);
  out.push(pick(u, NOUN_W));
  out.push(pick(u, VERB_W)[1]);
  nounPhrase(u, out);
  if (u() < 0.5) {
    out.push(pick(u, PREP_W));
    nounPhrase(u, out);
  }
  out.finish(Punct.stop);
}

/** One sentence, capitalised and punctuated, as a string. */
export function sentence(u: Uniform): string {
  const s = new Sentence();
  sentenceWords(u, s);
  return s.text();
}

/** An opening sentence as a string. */
export function openingSentence(u: Uniform): string {
  const s = new Sentence();
  openingWords(u, s);
  return s.text();
}

/**
 * Prose of at least `minChars` characters: sentences separated by spaces, a
 * paragraph break now and then (PARAGRAPH_SHARE, drawn after the sentence it
 * precedes); `opening` starts with openingSentence.
 */
export function prose(u: Uniform, minChars: number, opening = true): string {
  const parts: string[] = [];
  let length = 0;
  if (opening) {
    const s = openingSentence(u);
    parts.push(s);
    length += s.length;
  }
  while (length < minChars) {
    const s = sentence(u);
    const sep = parts.length === 0 ? '' : u() < PARAGRAPH_SHARE ? '\n\n' : ' ';
    parts.push(sep, s);
    length += sep.length + s.length;
  }
  return parts.join('');
}

/** Share of sentence breaks that are paragraph breaks. */
export const PARAGRAPH_SHARE = 0.12;

const IMAGE_SUBJECTS = words(
  'lighthouse castle fox owl harbour orchard glacier village robot violin teapot bicycle sailboat meadow canyon',
);
const IMAGE_STYLES = Object.freeze([
  'in watercolour',
  'as an oil painting',
  'in soft morning light',
  'at sunset',
  'as a pencil sketch',
  'in the style of a travel poster',
  'under heavy snow',
  'seen from above',
]);

/** A short image prompt: "A golden lighthouse beside a quiet harbour, as an oil painting". */
export function imagePrompt(u: Uniform): string {
  const adj = pick(u, ADJECTIVES);
  const subject = pick(u, IMAGE_SUBJECTS);
  const place = pick(u, IMAGE_SUBJECTS);
  const prep = pick(u, PREPOSITIONS);
  const adj2 = pick(u, ADJECTIVES);
  const an = (w: string) => (/^[aeiou]/.test(w) ? 'an' : 'a');
  const text = `${an(adj)} ${adj} ${subject} ${prep} ${an(adj2)} ${adj2} ${place}, ${pick(u, IMAGE_STYLES)}`;
  return text.charAt(0).toUpperCase() + text.slice(1);
}
