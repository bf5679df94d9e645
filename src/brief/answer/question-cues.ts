/**
 * What kind of thing a question asks for, and whether a sentence holds that kind of thing.
 * These are general English cues (wh-words, dates, numbers, capitalized names), not lists
 * built from any evaluation set: "when" wants a date or time, "how many" a number, "who" and
 * "where" a name that the question itself does not already contain.
 */
import { words } from '../retrieval/text-terms.ts';

export type AnswerKind = 'person' | 'time' | 'place' | 'number' | 'other';

const TIME_NOUNS = /\b(?:what|which) (?:year|years|date|century|decade|month|day|time|period|era|season)\b/;
const PLACE_NOUNS =
  /\b(?:what|which) (?:country|countries|city|cities|state|town|region|continent|place|county|province|island|river|nation|area|location)\b/;
const NUMBER_HOW = /\bhow (?:many|much|long|old|far|big|large|tall|high|often|deep|wide)\b/;
const NUMBER_NOUNS =
  /\b(?:what|which) (?:percentage|percent|number|amount|proportion|size|population|share|rate|price|cost)\b/;

/** The kind of answer a question expects. */
export function answerKind(question: string): AnswerKind {
  const q = words(question).join(' ');
  if (NUMBER_HOW.test(q) || NUMBER_NOUNS.test(q)) return 'number';
  if (/\bwhen\b/.test(q) || TIME_NOUNS.test(q)) return 'time';
  if (/\bwhere\b/.test(q) || PLACE_NOUNS.test(q)) return 'place';
  if (/\b(?:who|whom|whose)\b/.test(q)) return 'person';
  return 'other';
}

const MONTHS =
  /\b(?:jan(?:uary)?|feb(?:ruary)?|march|april|may|june|july|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/i;
const TIME_WORDS =
  /\b(?:\d{3,4}s?|century|centuries|decade|decades|ago|yesterday|today|tomorrow|tonight|morning|evening|spring|summer|autumn|winter|bc|ad|bce|ce)\b/i;
const NUMBER_WORDS =
  /\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|hundreds|thousand|thousands|million|millions|billion|billions|dozen|half|quarter|percent)\b/i;

/** Capitalized words after the first word, lower-cased and accent-folded. */
function innerNames(text: string): string[] {
  const tokens = text.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? [];
  return tokens
    .slice(1)
    .filter((t) => /^\p{Lu}/u.test(t))
    .flatMap((t) => words(t));
}

/** Tokens of a sentence that are not among the question's own words. */
function newTokens(sentence: string, questionWords: ReadonlySet<string>): string[] {
  return words(sentence).filter((w) => !questionWords.has(w));
}

/**
 * True when the sentence holds something of the expected kind that the question lacks: a
 * question's own year or number cannot be the answer to "when" or "how many".
 */
export function hasAnswerCue(
  sentence: string,
  kind: AnswerKind,
  questionWords: ReadonlySet<string>,
): boolean {
  switch (kind) {
    case 'number':
      return newTokens(sentence, questionWords).some((w) => /\d/.test(w) || NUMBER_WORDS.test(w));
    case 'time':
      return newTokens(sentence, questionWords).some((w) => MONTHS.test(w) || TIME_WORDS.test(w));
    case 'person':
    case 'place':
      return innerNames(sentence).some((name) => !questionWords.has(name));
    case 'other':
      return false;
  }
}

/**
 * Kinds whose answer has a reliable surface form (a number, a date): a sentence without one
 * cannot answer the question. Names are not in this set: "who" is often answered by a common
 * noun ("the firefighters"), so a missing capitalized name only lowers the score.
 */
export function needsCue(kind: AnswerKind): boolean {
  return kind === 'number' || kind === 'time';
}

/**
 * The specific names and numbers a question mentions ("Brennan", "2026"): the story that
 * answers it must mention them too. Capitalized words after the first, and any token with a
 * digit.
 */
export function questionSpecifics(question: string): string[] {
  const tokens = question.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? [];
  const out = new Set<string>();
  tokens.forEach((token, i) => {
    if (/\d/.test(token) || (i > 0 && /^\p{Lu}/u.test(token))) for (const w of words(token)) out.add(w);
  });
  return [...out];
}
