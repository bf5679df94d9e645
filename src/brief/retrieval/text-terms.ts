/**
 * Words and stems for retrieval and answering. The index, the extractive answerer and the
 * model answerer's citation checks all fold text the same way through these functions, so a
 * question term and a passage term meet whenever they share a stem.
 *
 * The stemmer follows the shape of Porter's 1980 algorithm (measure-gated suffix steps). It is
 * written for news prose: plurals, tenses and derived forms ("elections", "elected",
 * "electoral") fold together, which is what BM25 needs; it is not meant to be linguistically
 * exact.
 */
import { FUNCTION_WORDS } from '../../text/function-words.ts';

/** Function words and question fillers that carry no topic of their own. */
export const STOP_TERMS: ReadonlySet<string> = new Set([
  ...FUNCTION_WORDS,
  // Further prepositions and pronouns that questions use.
  'above',
  'below',
  'either',
  'herself',
  'himself',
  'itself',
  'ours',
  'theirs',
  'upon',
  'whose',
  'within',
  'without',
  'yet',
  'via',
  'per',
  'onto',
]);

/**
 * Words that only shape a question ("what is the name of…", "which kind of…"); dropped from a
 * question's content terms but kept in the index, where they are ordinary words.
 */
export const QUESTION_FILLERS: ReadonlySet<string> = new Set([
  'name',
  'named',
  'called',
  'kind',
  'type',
  'many',
  'much',
  'happen',
  'happened',
  'tell',
  'know',
  'known',
  'describe',
  'explain',
  'please',
  'anyone',
  'someone',
  'something',
  'thing',
  'things',
  'say',
  'said',
  'mean',
  'meant',
  'list',
  'give',
  'example',
]);

const TOKEN = /[\p{L}\p{N}]+/gu;

/** Lower-case, accent-folded word tokens ("Beyoncé's" → "beyonce", "s"). */
export function words(text: string): string[] {
  const folded = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
  return folded.match(TOKEN) ?? [];
}

function isConsonant(w: string, i: number): boolean {
  const c = w[i];
  if (c === 'a' || c === 'e' || c === 'i' || c === 'o' || c === 'u') return false;
  if (c === 'y') return i === 0 || !isConsonant(w, i - 1);
  return true;
}

/** Porter's m: the number of vowel-consonant runs in `w`. */
function measure(w: string): number {
  let m = 0;
  let prevVowel = false;
  for (let i = 0; i < w.length; i++) {
    const vowel = !isConsonant(w, i);
    if (!vowel && prevVowel) m++;
    prevVowel = vowel;
  }
  return m;
}

function hasVowel(w: string): boolean {
  for (let i = 0; i < w.length; i++) if (!isConsonant(w, i)) return true;
  return false;
}

function endsDoubleConsonant(w: string): boolean {
  const n = w.length;
  return n >= 2 && w[n - 1] === w[n - 2] && isConsonant(w, n - 1);
}

/** Consonant-vowel-consonant ending where the last is not w, x or y ("hop", not "snow"). */
function endsCvc(w: string): boolean {
  const n = w.length;
  if (n < 3) return false;
  const last = w[n - 1] ?? '';
  return isConsonant(w, n - 3) && !isConsonant(w, n - 2) && isConsonant(w, n - 1) && !'wxy'.includes(last);
}

/** Replaces the first matching suffix whose remaining stem has measure > `minMeasure`. */
function replaceSuffix(
  w: string,
  rules: ReadonlyArray<readonly [string, string]>,
  minMeasure: number,
): string {
  for (const [suffix, replacement] of rules) {
    if (!w.endsWith(suffix)) continue;
    const stem = w.slice(0, w.length - suffix.length);
    return measure(stem) > minMeasure ? stem + replacement : w;
  }
  return w;
}

const STEP2: ReadonlyArray<readonly [string, string]> = [
  ['ational', 'ate'],
  ['tional', 'tion'],
  ['enci', 'ence'],
  ['anci', 'ance'],
  ['izer', 'ize'],
  ['bli', 'ble'],
  ['alli', 'al'],
  ['entli', 'ent'],
  ['eli', 'e'],
  ['ousli', 'ous'],
  ['ization', 'ize'],
  ['ation', 'ate'],
  ['ator', 'ate'],
  ['alism', 'al'],
  ['iveness', 'ive'],
  ['fulness', 'ful'],
  ['ousness', 'ous'],
  ['aliti', 'al'],
  ['iviti', 'ive'],
  ['biliti', 'ble'],
  ['logi', 'log'],
];
const STEP3: ReadonlyArray<readonly [string, string]> = [
  ['icate', 'ic'],
  ['ative', ''],
  ['alize', 'al'],
  ['iciti', 'ic'],
  ['ical', 'ic'],
  ['ful', ''],
  ['ness', ''],
];
const STEP4 = [
  'ement',
  'ance',
  'ence',
  'able',
  'ible',
  'ment',
  'ant',
  'ent',
  'ism',
  'ate',
  'iti',
  'ous',
  'ive',
  'ize',
  'ion',
  'al',
  'er',
  'ic',
  'ou',
];

function step1(word: string): string {
  let w = word;
  if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('ies')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) w = w.slice(0, -1);

  let trimmed = false;
  if (w.endsWith('eed')) {
    if (measure(w.slice(0, -3)) > 0) w = w.slice(0, -1);
  } else if (w.endsWith('ed') && hasVowel(w.slice(0, -2))) {
    w = w.slice(0, -2);
    trimmed = true;
  } else if (w.endsWith('ing') && hasVowel(w.slice(0, -3))) {
    w = w.slice(0, -3);
    trimmed = true;
  }
  if (trimmed) {
    if (w.endsWith('at') || w.endsWith('bl') || w.endsWith('iz')) w += 'e';
    else if (endsDoubleConsonant(w) && !/[lsz]$/.test(w)) w = w.slice(0, -1);
    else if (measure(w) === 1 && endsCvc(w)) w += 'e';
  }
  if (w.endsWith('y') && hasVowel(w.slice(0, -1))) w = `${w.slice(0, -1)}i`;
  return w;
}

function step4(w: string): string {
  for (const suffix of STEP4) {
    if (!w.endsWith(suffix)) continue;
    const stem = w.slice(0, w.length - suffix.length);
    if (measure(stem) <= 1) return w;
    if (suffix === 'ion' && !/[st]$/.test(stem)) return w;
    return stem;
  }
  return w;
}

function step5(word: string): string {
  let w = word;
  if (w.endsWith('e')) {
    const stem = w.slice(0, -1);
    const m = measure(stem);
    if (m > 1 || (m === 1 && !endsCvc(stem))) w = stem;
  }
  if (w.endsWith('ll') && measure(w) > 1) w = w.slice(0, -1);
  return w;
}

/** Stems one lower-case word. Short words and anything with a digit stay as they are. */
export function stemWord(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  let w = step1(word);
  w = replaceSuffix(w, STEP2, 0);
  w = replaceSuffix(w, STEP3, 0);
  w = step4(w);
  return step5(w);
}

/** Words a stemmer remembers: a news vocabulary's frequent words, about 2 MB of heap. */
const STEMS_KEPT = 20_000;

/**
 * A stemmer that remembers its answers, bounded so an index fed for long cannot grow it. Kept
 * small: stemming a word costs about as much as a lookup in a map of hundreds of thousands of
 * words, and a bulk import meets new words (names, made-up words, figures) to the end, so a
 * large memo only held the heap up (at 200,000 words it was most of what grew over an import
 * of 10,000 files, and every collection marked it). Words stemming leaves alone (short, or
 * with a digit) are not remembered.
 */
export function createStemmer(maxEntries = STEMS_KEPT): (word: string) => string {
  const cache = new Map<string, string>();
  return (word) => {
    if (word.length <= 3 || /\d/.test(word)) return word;
    const hit = cache.get(word);
    if (hit !== undefined) return hit;
    if (cache.size >= maxEntries) cache.clear();
    const stem = stemWord(word);
    cache.set(word, stem);
    return stem;
  };
}

/** The processed index term for one token, or null for a stopword or a lone letter. */
export function indexTerm(token: string, stem: (word: string) => string): string | null {
  if (STOP_TERMS.has(token)) return null;
  if (token.length < 2 && !/\d/.test(token)) return null;
  return stem(token);
}

/** Distinct content stems of a text, in first-seen order. */
export function contentStems(
  text: string,
  stem: (word: string) => string,
  extraStops?: ReadonlySet<string>,
): string[] {
  const seen = new Set<string>();
  for (const token of words(text)) {
    if (extraStops?.has(token)) continue;
    const term = indexTerm(token, stem);
    if (term !== null) seen.add(term);
  }
  return [...seen];
}
