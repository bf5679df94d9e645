/**
 * Article text helpers shared by the summarizers: dateline stripping, boilerplate detection
 * and name/number extraction. Kept apart so the extractive scorer and the model grounding
 * check agree on what a "name" and a "number" are.
 */
import { paragraphSentences, tokenizeWords } from './sentences.ts';

/**
 * Leading datelines: "MOSCOW (Reuters) — ", "LONDON, England (CNN) -- ", "PARIS — ".
 * Only the prefix goes; the sentence stays.
 */
const DATELINE_WITH_AGENCY = /^[^.!?"“]{0,80}?\([\p{Lu}][\p{L} .&'-]{0,30}\)\s*(?:--|—|–|-)\s*/u;
const DATELINE_CAPS = /^[\p{Lu}][\p{Lu} .,'-]{2,40}\s*(?:--|—|–)\s+/u;

export function stripDateline(sentence: string): string {
  const stripped = sentence.replace(DATELINE_WITH_AGENCY, '').replace(DATELINE_CAPS, '');
  return stripped.length > 0 ? stripped : sentence;
}

const BOILERPLATE =
  /\b(?:click here|read more|sign up|subscribe|follow us|share this|all rights reserved|newsletter|advertisement|scroll down|published:|updated:|last updated|related articles?|watch the video|photo:|image:|getty images|copyright)\b|©/iu;

/**
 * True for sentences a reader should never see in a summary: too short, link and share
 * prompts, bylines and timestamps, shouting, or fragments with no ordinary words (no verb).
 */
export function isBoilerplate(sentence: string): boolean {
  const words = sentence.match(/[\p{L}\p{N}'’-]+/gu) ?? [];
  if (words.length < 5 || sentence.length < 30) return true;
  if (BOILERPLATE.test(sentence)) return true;
  if (/^by\b/iu.test(sentence) && words.length <= 14) return true;
  const letters = sentence.match(/\p{L}/gu) ?? [];
  const upper = sentence.match(/\p{Lu}/gu) ?? [];
  if (letters.length > 0 && upper.length / letters.length > 0.6) return true;
  // Prose has function words in lower case; captions and name lists mostly do not.
  const lowerWords = words.filter((w) => /^\p{Ll}/u.test(w));
  return lowerWords.length < 2;
}

/** Sentences of an article in reading order, the dateline removed from the first real one. */
export function articleSentences(paragraphs: readonly string[]): string[] {
  const out: string[] = [];
  let seenProse = false;
  for (const paragraph of paragraphs) {
    for (const sentence of paragraphSentences(paragraph)) {
      // Bylines and timestamps may come first; the dateline sits on the first prose sentence.
      const text = seenProse ? sentence : stripDateline(sentence);
      if (!seenProse && !isBoilerplate(text)) seenProse = true;
      out.push(text);
    }
  }
  return out;
}

/** Numbers as digit strings ("1,200" → "1200", "3.5" stays). */
export function numbersIn(text: string): string[] {
  return (text.match(/\d[\d,]*(?:\.\d+)?/gu) ?? []).map((n) => n.replace(/,/gu, '').replace(/\.$/u, ''));
}

const NAME_RUN = /[\p{Lu}][\p{L}'’.-]*(?:\s+(?:of|de|la|von|van|al|bin|the)?\s*[\p{Lu}][\p{L}'’.-]*)*/gu;

/** Words that are capitalized only because they open a sentence or a quote. */
const COMMON_CAPITALIZED = new Set([
  'the',
  'a',
  'an',
  'he',
  'she',
  'it',
  'they',
  'we',
  'i',
  'his',
  'her',
  'their',
  'its',
  'this',
  'that',
  'these',
  'those',
  'there',
  'but',
  'and',
  'in',
  'on',
  'at',
  'after',
  'when',
  'while',
  'if',
  'as',
  'for',
  'some',
  'many',
  'most',
  'what',
  'who',
  'why',
  'how',
  'one',
  'two',
  'last',
  'new',
  'our',
  'my',
  'your',
  'you',
  'mr',
  'mrs',
  'ms',
  'dr',
  'by',
  'with',
  'from',
  'to',
  'of',
  // Titles go too, so "Mayor Ana Ruiz" and "Ana Ruiz" are one name.
  'president',
  'mayor',
  'gov',
  'governor',
  'sen',
  'senator',
  'rep',
  'gen',
  'general',
  'prime',
  'minister',
  'secretary',
  'judge',
  'prof',
  'professor',
  'chief',
  'officer',
  'king',
  'queen',
  'prince',
  'princess',
  'pope',
  'sir',
  'lord',
  'lady',
  'st',
]);

/**
 * Capitalized name runs ("Helder Ornelas", "Court of Arbitration"), minus words capitalized
 * only by position. A cheap stand-in for NER that is good enough to check grounding.
 */
export function capitalizedNames(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(NAME_RUN)) {
    const words = match[0]
      .split(/\s+/u)
      .filter((w) => !COMMON_CAPITALIZED.has(w.toLowerCase().replace(/[.'’]/gu, '')));
    const name = words.join(' ').replace(/[.'’]+$/u, '');
    if (name.length >= 2 && /\p{Lu}/u.test(name)) names.push(name);
  }
  return names;
}

/** Lower-cased token set used to test whether a name occurs in a text. */
export function tokenSet(text: string): Set<string> {
  return new Set(tokenizeWords(text));
}

/** Up to `limit` sentences that carry numbers (facts worth listing in /story). */
export function keyFactsOf(paragraphs: readonly string[], exclude: readonly string[], limit = 3): string[] {
  return articleSentences(paragraphs)
    .filter((s) => !isBoilerplate(s) && numbersIn(s).length > 0 && !exclude.includes(s))
    .slice(0, limit);
}
