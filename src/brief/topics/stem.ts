/**
 * A small English suffix stripper for matching taxonomy terms against news text. It is not
 * Porter: it only folds the inflections that matter for topic terms (plurals, -ing, -ed, a
 * final silent e), and it is applied the same way to terms and to text, so consistency
 * matters more than linguistic accuracy ("rates", "rated", "rating" and "rate" all meet).
 */

const VOWEL = /[aeiouy]/;
// Porter's exception: a doubled l, s or z is part of the stem ("fall", "pass", "buzz").
const UNDOUBLE = /([bcdfghjkmnpqrtvwx])\1$/;

/** Folds one lower-case word to its matching stem. */
export function stem(word: string): string {
  let w = word.toLowerCase();
  if (w.endsWith("'s") || w.endsWith('’s')) w = w.slice(0, -2);
  if (w.length <= 3 || /\d/.test(w)) return w;
  // A final y and its plural -ies meet at i, as in Porter ("party", "parties" -> "parti").
  if (w.endsWith('ies') && w.length > 4) w = w.slice(0, -2);
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(ss|us|is|ous)$/.test(w)) w = w.slice(0, -1);

  if (w.endsWith('ied') && w.length > 4) w = w.slice(0, -2);
  else if (w.endsWith('ing')) w = stripSuffix(w, 3);
  else if (w.endsWith('ed')) w = stripSuffix(w, 2);

  if (w.endsWith('y') && w.length > 3) w = `${w.slice(0, -1)}i`;
  if (w.endsWith('e') && w.length > 3 && !w.endsWith('ee')) w = w.slice(0, -1);
  return w;
}

// Strips -ing/-ed only when a real stem (three letters, with a vowel) is left, so "inning"
// and "bed" stay themselves rather than turning into "in" and "b".
function stripSuffix(w: string, length: number): string {
  const base = w.slice(0, -length);
  if (base.length < 3 || !VOWEL.test(base)) return w;
  const undoubled = UNDOUBLE.test(base) ? base.slice(0, -1) : base;
  return undoubled.length >= 3 ? undoubled : base;
}

// Dotted acronyms ("U.S.", "U.N.") become one token before splitting on punctuation.
const DOTTED_ACRONYM = /\b(?:[A-Za-z]\.){2,}/g;

/** Splits text into lower-case word tokens (letters, digits, inner hyphens and ampersands). */
export function tokenize(text: string): string[] {
  const joined = text.replace(DOTTED_ACRONYM, (m) => m.replace(/\./g, ''));
  const out: string[] = [];
  for (const m of joined.toLowerCase().matchAll(/[\p{L}\p{N}]+(?:[-&'’][\p{L}\p{N}]+)*/gu)) {
    const token = m[0].replace(/['’]s$/, '');
    // Hyphenated compounds stay whole ("wi-fi", "file-sharing"); terms are tokenized alike.
    out.push(token);
  }
  return out;
}

/** Tokenizes and stems, dropping nothing: positions stay aligned with the text for phrases. */
export function stemTokens(text: string): string[] {
  return tokenize(text).map(stem);
}
