/**
 * What kind of thing a question asks for, and whether a sentence holds that kind of thing.
 * These are general English cues (wh-words, dates, numbers, capitalized names, words that
 * state a cause), not lists built from any evaluation set: "when" wants a date or time, "how
 * many" a number, "who" and "where" a name that the question itself does not already contain,
 * "why" a sentence that gives a reason, "how" one that says by what means.
 */
import { STOP_TERMS, words } from '../retrieval/text-terms.ts';
import { isOrgShaped, looksPersonal } from '../topics/name-kinds.ts';

export type AnswerKind = 'person' | 'time' | 'place' | 'number' | 'reason' | 'manner' | 'other';

const TIME_NOUNS = /\b(?:what|which) (?:year|years|date|century|decade|month|day|time|period|era|season)\b/;
const PLACE_NOUNS =
  /\b(?:what|which) (?:country|countries|city|cities|state|town|region|continent|place|county|province|island|river|nation|area|location)\b/;
const NUMBER_HOW = /\bhow (?:many|much|long|old|far|big|large|tall|high|often|deep|wide)\b/;
/** "Which team", "what company": the answer is a name, as for "who". */
const NAMED_NOUNS =
  /\b(?:what|which) (?:person|people|player|team|club|company|companies|firm|group|organization|organisation|party|band|artist|author|leader|president|minister|official|agency|newspaper|network|brand)\b/;
const REASON_ASKED = /\bwhy\b|\bwhat (?:caused|causes|led to|prompted)\b|\bfor what reason\b/;
const MANNER_ASKED = /\bhow (?:did|does|do|was|were|is|are|can|could|will|would|has|have|had|should)\b/;
const NUMBER_NOUNS =
  /\b(?:what|which) (?:percentage|percent|number|amount|proportion|size|population|share|rate|price|cost)\b/;

/** The kind of answer a question expects. */
export function answerKind(question: string): AnswerKind {
  const q = words(question).join(' ');
  if (NUMBER_HOW.test(q) || NUMBER_NOUNS.test(q)) return 'number';
  if (/\bwhen\b/.test(q) || TIME_NOUNS.test(q)) return 'time';
  if (/\bwhere\b/.test(q) || PLACE_NOUNS.test(q)) return 'place';
  if (/\b(?:who|whom|whose)\b/.test(q) || NAMED_NOUNS.test(q)) return 'person';
  if (REASON_ASKED.test(q)) return 'reason';
  if (MANNER_ASKED.test(q)) return 'manner';
  return 'other';
}

const MONTHS =
  /\b(?:jan(?:uary)?|feb(?:ruary)?|march|april|may|june|july|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/i;
const TIME_WORDS =
  /\b(?:\d{3,4}s?|century|centuries|decade|decades|ago|yesterday|today|tomorrow|tonight|morning|evening|spring|summer|autumn|winter|bc|ad|bce|ce)\b/i;
const NUMBER_WORDS =
  /\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|hundreds|thousand|thousands|million|millions|billion|billions|dozen|half|quarter|percent)\b/i;

/**
 * Words that state a cause outright: "because", "in protest at", "over plans to...". A news
 * lead usually says why in one of these forms ("walked off the job in protest at plans to
 * automate"), while the consequences further down do not.
 */
const STATED_CAUSE =
  /\b(?:because|due to|owing to|as a result of|result of|caused by|blamed|the reason|in protest (?:at|against|over)|to protest|in response to|in order to|so as to|so that|(?:needed|necessary|designed|intended|meant|aimed) to|on the grounds|prompted by|led to|(?:strikes?|striking|protests?|protested|protesting|walk(?:ed)?[- ]out|resign(?:ed|s|ation)?|row|dispute|anger|outrage|fears?|concerns?|sacked|fired|arrested|charged|sued|quit)\s+over|to (?:avoid|prevent|protect|stop|allow|make way|save|reduce|cut|meet|comply))\b/i;
/** Words that may give a cause or only a sequence ("after the vote", "since March"). */
const POSSIBLE_CAUSE = /\b(?:caused|causing|reason|after|following|since|amid|thanks to)\b/i;

/**
 * How plainly a sentence says why: 1 for a stated cause, 0.5 for a word that may only give a
 * sequence ("after", "since"), 0 for none. A why-question's answer is the stated cause when
 * the story has one, not a consequence that happens to say "since".
 */
export function causeStrength(sentence: string): number {
  if (STATED_CAUSE.test(sentence)) return 1;
  return POSSIBLE_CAUSE.test(sentence) ? 0.5 : 0;
}

/** Words that say by what means or in what way. */
const MANNER_WORDS = /\b(?:by|through|using|via|with|without|after|in an? |from)\b/i;

/**
 * Capitalized words, lower-cased and accent-folded. The first word counts too unless it is a
 * function word ("The", "In"): "Kirilenko was beaten by..." opens with the name it answers.
 */
export function capitalizedNames(text: string): string[] {
  const tokens = text.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? [];
  return tokens
    .filter((t, i) => /^\p{Lu}/u.test(t) && (i > 0 || !STOP_TERMS.has(t.toLowerCase())))
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
      return capitalizedNames(sentence).some((name) => !questionWords.has(name) && !STOP_TERMS.has(name));
    case 'reason':
      return causeStrength(sentence) > 0;
    case 'manner':
      return MANNER_WORDS.test(sentence);
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

/** Runs of capitalized words as written ("Maria Kirilenko"), the sentence's first word only when not a function word. */
function writtenNameRuns(sentence: string): string[][] {
  const runs: string[][] = [];
  let current: string[] = [];
  const flush = (): void => {
    if (current.length > 0) runs.push(current);
    current = [];
  };
  let last = 0;
  for (const match of sentence.matchAll(/[\p{L}][\p{L}'’.-]*/gu)) {
    const token = match[0].replace(/['’]s$/u, '');
    const gap = sentence.slice(last, match.index);
    last = match.index + match[0].length;
    if (!/^\s*$/.test(gap)) flush();
    const opening = match.index === 0 && STOP_TERMS.has(token.toLowerCase());
    if (/^\p{Lu}/u.test(token) && !opening) current.push(token);
    else flush();
    // "Russia's Maria Kirilenko": a possessive ends one name before the next begins.
    if (token !== match[0]) flush();
  }
  flush();
  return runs;
}

/**
 * The sentence names a person or an organization the question does not: a run of capitalized
 * words shaped like a personal name ("Maria Kirilenko") or an organization ("Essex Police").
 * A weekday, a venue or a country alone does not say who.
 */
export function namesNewPerson(sentence: string, questionWords: ReadonlySet<string>): boolean {
  return writtenNameRuns(sentence).some(
    (run) => !run.some((w) => questionWords.has(w.toLowerCase())) && (looksPersonal(run) || isOrgShaped(run)),
  );
}

/**
 * Kinds whose answer must be visible in the sentence itself: a sentence naming no new person
 * cannot say who, one without a number cannot say how many, one stating no cause cannot say
 * why. "When" and "where" are often answered without a date or a capitalized place ("after
 * the war", "in the north"), so there a missing cue only lowers the confidence.
 */
export function typeRequired(kind: AnswerKind): boolean {
  return kind === 'person' || kind === 'number' || kind === 'reason' || kind === 'manner';
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
