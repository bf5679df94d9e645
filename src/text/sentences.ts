/**
 * The one sentence splitter: the .txt reader, headlines, summaries, answers, ROUGE and
 * retrieval all cut text here, so a boundary that holds in one holds in all.
 *
 * The splitter is rule-based on purpose: news prose is regular enough that a handful of rules
 * (abbreviations, initials, dotted acronyms, quotes, ellipses) beats a generic regex, and it
 * costs microseconds per article. A dateline such as "MOSCOW (Reuters) — …" has no period of
 * its own, so it always stays part of the first sentence; stripping it is the cleaner's job.
 */

/** Titles and words that are almost never the end of a sentence when followed by a period. */
const NEVER_FINAL = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'prof',
  'gen',
  'lt',
  'col',
  'sgt',
  'capt',
  'cmdr',
  'adm',
  'maj',
  'gov',
  'sen',
  'rep',
  'rev',
  'hon',
  'pres',
  'supt',
  'insp',
  'det',
  'cpl',
  'pte',
  'st',
  'mt',
  'ft',
  'jr',
  'sr',
  'vs',
  'approx',
  'dept',
  'messrs',
  'jan',
  'feb',
  'mar',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
  'ave',
  'blvd',
  'rd',
  'e.g',
  'i.e',
  'cf',
  'al',
]);

/** Abbreviations only before a number ("No. 10", "Vol. 3"); elsewhere "no." is a word. */
const BEFORE_NUMBER = new Set(['no', 'nos', 'vol', 'fig', 'p', 'pp', 'art', 'ch', 'sec']);

/** Abbreviations that can end a sentence ("… Apple Inc. The company …"). */
const MAYBE_FINAL = new Set(['inc', 'corp', 'ltd', 'co', 'plc', 'llc', 'etc', 'bros']);

/**
 * Words that usually open a sentence. After a dotted acronym ("U.S.", "a.m.") or a
 * "maybe final" abbreviation we only split when the next word is one of these, because
 * "U.S. President" is far more common than a sentence ending in "U.S.".
 */
const SENTENCE_OPENERS = new Set([
  'the',
  'a',
  'an',
  'he',
  'she',
  'it',
  'they',
  'we',
  'i',
  'you',
  'his',
  'her',
  'their',
  'its',
  'our',
  'this',
  'that',
  'these',
  'those',
  'there',
  'but',
  'and',
  'so',
  'yet',
  'in',
  'on',
  'at',
  'after',
  'before',
  'when',
  'while',
  'if',
  'as',
  'for',
  'some',
  'many',
  'most',
  'officials',
  'police',
  'however',
  'meanwhile',
  'still',
  'now',
  'then',
  'earlier',
  'later',
  'last',
  'one',
  'two',
  'what',
  'who',
  'why',
  'how',
  'no',
  'not',
  'both',
  'all',
  'since',
  'although',
  'though',
]);

/** Closing quotes and brackets that may follow the terminal punctuation. */
const CLOSERS = `"'”’)]»`;
const OPENERS = `"'“‘([«`;

function isUpperStart(ch: string | undefined): boolean {
  return ch !== undefined && /[\p{Lu}\p{N}]/u.test(ch);
}

/** The token (letters and inner dots) that ends right before index `dot`. */
function tokenBefore(text: string, dot: number): string {
  let i = dot;
  while (i > 0 && /[\p{L}\p{N}.]/u.test(text[i - 1] ?? '')) i--;
  return text.slice(i, dot);
}

/** The first word after `from`, skipping opening quotes. */
function wordAfter(text: string, from: number): string {
  const m = /^[\s]*[\p{Pi}"'“‘([«]*([\p{L}\p{N}'’-]+)/u.exec(text.slice(from, from + 40));
  return m?.[1] ?? '';
}

/**
 * "1." or "b." opening a list item ("Three steps: 1. Mix …", "… the flour. 2. Add …"): the
 * marker starts the item, it does not end a sentence. Only a number of one or two digits, or
 * one lower-case letter, standing at the start of the text or after a colon or a sentence end.
 */
function isListMarker(text: string, dot: number, token: string): boolean {
  if (!/^(?:\d{1,2}|\p{Ll})$/u.test(token)) return false;
  const before = text.slice(0, dot - token.length).trimEnd();
  return before === '' || /[:.!?;]["”’)]*$/u.test(before);
}

/** Decides whether the period at `dot` (already followed by space + capital) ends a sentence. */
function periodEnds(text: string, dot: number, nextWord: string): boolean {
  const token = tokenBefore(text, dot);
  if (token === '') return true; // "… done ." (tokenized text) or punctuation before the dot
  const lower = token.toLowerCase();
  if (NEVER_FINAL.has(lower)) return false;
  if (isListMarker(text, dot, token)) return false;
  if (BEFORE_NUMBER.has(lower)) return !/^\d/u.test(nextWord);
  const opener = SENTENCE_OPENERS.has(nextWord.toLowerCase());
  if (MAYBE_FINAL.has(lower)) return opener;
  // A single capital letter is an initial ("J. Smith", "J.K. Rowling").
  if (/^\p{Lu}$/u.test(token)) return false;
  // Dotted acronyms, initials and a.m./p.m. ("U.S.", "J.K.", "p.m."; the final dot is `dot`):
  // split only before a word that usually opens a sentence ("… in the U.S. The …").
  if (/^(?:\p{L}\.)+\p{L}$/u.test(token)) return opener;
  return true;
}

/**
 * Splits prose into sentences. Survives abbreviations (Mr., Gen., Jan., U.S., a.m.), initials,
 * decimals, quotations ("…," he said.) and ellipses followed by lower case.
 */
export function splitSentences(text: string): string[] {
  const src = text.replace(/\s+/gu, ' ').trim();
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (ch !== '.' && ch !== '!' && ch !== '?' && ch !== '…') continue;
    // Take the whole run of terminal punctuation ("?!", "...") and closing quotes.
    let end = i;
    while (end + 1 < src.length && '.!?…'.includes(src[end + 1] ?? '')) end++;
    while (end + 1 < src.length && CLOSERS.includes(src[end + 1] ?? '')) end++;
    if (src[end + 1] !== ' ') {
      i = end;
      continue;
    }
    let next = end + 2;
    while (next < src.length && OPENERS.includes(src[next] ?? '')) next++;
    const nextCh = src[next];
    if (!isUpperStart(nextCh)) {
      i = end;
      continue;
    }
    const single = end === i || CLOSERS.includes(src[i + 1] ?? '');
    if (ch === '.' && single && !periodEnds(src, i, wordAfter(src, end + 1))) {
      i = end;
      continue;
    }
    const sentence = src.slice(start, end + 1).trim();
    if (sentence !== '') out.push(sentence);
    start = end + 1;
    i = end;
  }
  const rest = src.slice(start).trim();
  if (rest !== '') out.push(rest);
  return out;
}

/** Text that already ends as a sentence does, or leads into what follows (a colon, a dash). */
const ENDED = /[.!?…:;,—–-]["'”’)\]»]*$/u;

/**
 * The sentences of one paragraph, its last one ended with a full stop when the paragraph stops
 * without one (a standfirst, a subheading, a caption): read on their own, as a summary or an
 * answer joins them, a paragraph never runs into the next one ("… study shows But this …").
 */
export function paragraphSentences(paragraph: string): string[] {
  const sentences = splitSentences(paragraph);
  const last = sentences[sentences.length - 1];
  if (last !== undefined && /[\p{L}\p{N}]["'”’)\]»]*$/u.test(last) && !ENDED.test(last))
    sentences[sentences.length - 1] = `${last}.`;
  return sentences;
}
