// How the `read` bench judges what a reader sees. The rules describe faults in general
// (a headline that is a byline, a word that is a month), not any item of the data.

/** A headline a reader cannot use: a byline, a fragment, or text that starts mid-sentence. */
export function headlineFault(title: string, document: string): string | undefined {
  const text = title.trim();
  if (/^by\b/iu.test(text)) return 'byline';
  if (!/^[\p{Lu}\p{N}"'“‘(]/u.test(text) || text.split(/\s+/u).length < 3) return 'fragment';
  // Where the headline's opening words stand in the document: after a sentence end, a dateline
  // or credit, or at the start; anywhere else it starts mid-sentence ("S. The 260 …").
  const opening = text.replace(/…$/u, '').slice(0, 40);
  const at = document.indexOf(opening);
  if (at < 0) return undefined;
  const before = document.slice(0, at).trimEnd();
  // A lone capital and a dot before it ("… in the U." + "S. The …") is an initial, not an end.
  if (/(?:^|[^\p{L}])\p{Lu}\.$/u.test(before)) return 'mid-sentence';
  if (before === '' || /[.!?]["”’')]*$|--$|[—–-]$|\)$|:$/u.test(before)) return undefined;
  return 'mid-sentence';
}

const MONTHS =
  'january february march april may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec';
const WEEKDAYS = 'monday tuesday wednesday thursday friday saturday sunday';
const ZONES = 'est edt cst cdt mst mdt pst pdt gmt bst utc cet cest et pt';
const STAMP_AND_CREDIT_WORDS =
  'published updated created posted modified last by reporter correspondent staff writer editor';
const PAGE_CHROME_WORDS =
  'share comments comment click follow advertisement sponsored subscribe newsletter photo photos picture pictured image video watch scroll read more';

const NON_NAME_WORDS = new Set(
  [MONTHS, WEEKDAYS, ZONES, STAMP_AND_CREDIT_WORDS, PAGE_CHROME_WORDS].join(' ').split(/\s+/u),
);

/** A "name" made only of calendar, time-zone, stamp, credit or page-chrome words. */
export function isNonName(name: string): boolean {
  const words = name.toLowerCase().match(/[\p{L}]+/gu) ?? [];
  return words.length > 0 && words.every((word) => NON_NAME_WORDS.has(word));
}

const PRONOUN_OPENING = /^["“‘']?(?:he|she|it|they|his|her|its|their|him|them)\b/iu;
const SAYING =
  /\b(?:said|says|say|told|added|asked|wrote|writes|explained|insisted|warned|claimed|claims|stated|declared|according to|tweeted|posted)\b/iu;
const OPENS_QUOTE = /^\s*["“‘']/u;

/**
 * A sentence that is a quotation whose speaker the sentence does not name: it opens with a
 * quotation mark and no verb of saying stands outside the quoted words.
 */
export function isUnattributedQuote(sentence: string): boolean {
  if (!OPENS_QUOTE.test(sentence)) return false;
  const outside = sentence.replace(/["“][^"”]*["”]/gu, ' ').replace(/‘[^’]*’(?!\w)/gu, ' ');
  return !SAYING.test(outside);
}

/** A summary ending on (or made of) an unattributed quotation, or opening on a bare pronoun. */
export function summaryFault(sentences: readonly string[]): 'quote' | 'pronoun' | undefined {
  const last = sentences[sentences.length - 1];
  if (last !== undefined && isUnattributedQuote(last)) return 'quote';
  const first = sentences[0];
  if (first !== undefined && PRONOUN_OPENING.test(first)) return 'pronoun';
  return undefined;
}
