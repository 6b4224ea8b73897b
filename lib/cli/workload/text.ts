// Seeded English prose for synthetic prompts: sentences from a small grammar
// (noun phrases, past-tense clauses, connectives, questions, requests) over a
// vocabulary written for genload. Deterministic for a Uniform source; about
// one random draw per word, so 100,000 prompts take well under a second.
// Lengths here are in characters; synthetic.ts turns them into exact token counts.

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

const pick = <T>(u: Uniform, xs: readonly T[]): T => xs[Math.floor(u() * xs.length)] as T;

function article(det: string, next: string): string {
  return det === 'a' && /^[aeiou]/.test(next) ? 'an' : det;
}

/** "the old harbour", "an eager pilot", "the lantern of the village" */
function nounPhrase(u: Uniform, out: string[]): void {
  const det = pick(u, DETERMINERS);
  const r = u();
  if (r < 0.55) {
    const adj = pick(u, ADJECTIVES);
    out.push(article(det, adj), adj, pick(u, NOUNS));
  } else if (r < 0.85) {
    const noun = pick(u, NOUNS);
    out.push(article(det, noun), noun);
  } else {
    const noun = pick(u, NOUNS);
    out.push(article(det, noun), noun, 'of', 'the', pick(u, NOUNS));
  }
}

/** subject, past verb, object, sometimes an adverb or a place */
function clause(u: Uniform, out: string[]): void {
  nounPhrase(u, out);
  if (u() < 0.15) out.push(pick(u, ADVERBS));
  out.push(pick(u, VERBS)[1]);
  nounPhrase(u, out);
  if (u() < 0.4) {
    out.push(pick(u, PREPOSITIONS));
    nounPhrase(u, out);
  }
}

/** One sentence, capitalised and punctuated, as a string. */
export function sentence(u: Uniform): string {
  const out: string[] = [];
  const r = u();
  let end = '.';
  if (r < 0.5) {
    clause(u, out);
    if (u() < 0.45) {
      out[out.length - 1] += ',';
      out.push(pick(u, CONNECTIVES));
      clause(u, out);
    }
  } else if (r < 0.7) {
    out.push(`${pick(u, OPENERS)},`);
    clause(u, out);
  } else if (r < 0.85) {
    out.push(pick(u, QUESTIONS));
    nounPhrase(u, out);
    out.push(pick(u, VERBS)[0]);
    nounPhrase(u, out);
    end = '?';
  } else {
    out.push(pick(u, REQUESTS));
    clause(u, out);
  }
  const text = out.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1) + end;
}

/** An opening sentence with many distinct starts: "Every quiet engineer repaired ...". */
export function openingSentence(u: Uniform): string {
  const det = pick(u, DETERMINERS);
  const adj = pick(u, ADJECTIVES);
  const out = [article(det, adj), adj, pick(u, NOUNS), pick(u, VERBS)[1]];
  nounPhrase(u, out);
  if (u() < 0.5) {
    out.push(pick(u, PREPOSITIONS));
    nounPhrase(u, out);
  }
  const text = out.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/**
 * Prose of at least `minChars` characters: sentences separated by spaces, a
 * paragraph break now and then; `opening` starts with openingSentence.
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
    const sep = parts.length === 0 ? '' : u() < 0.12 ? '\n\n' : ' ';
    parts.push(sep, s);
    length += sep.length + s.length;
  }
  return parts.join('');
}

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
  const text = `${article('a', adj)} ${adj} ${subject} ${prep} ${article('a', adj2)} ${adj2} ${place}, ${pick(u, IMAGE_STYLES)}`;
  return text.charAt(0).toUpperCase() + text.slice(1);
}
