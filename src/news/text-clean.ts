/**
 * The cleaning pass shared by every input shape (feed items, extracted pages, pasted text).
 *
 * The rules describe boilerplate that web publishers commonly wrap around an article: legal
 * lines, share and subscribe prompts, pagers, bylines, cookie banners and "related" lists.
 * They are written from how such sites are built, not from any particular data set, and they
 * only ever match short, self-contained lines so that a body sentence that merely mentions
 * "copyright" or "subscribe" survives.
 */
import { decodeHTMLStrict } from 'entities';

/** A dateline lead split off the first paragraph. */
export interface Dateline {
  /** The place as written, such as "MOSCOW" or "KYIV, Ukraine". */
  place?: string;
  /** The wire or outlet credited in the dateline, such as "AP" or "CNN". */
  agency?: string;
  /** The paragraph with the dateline removed (the whole paragraph when there was none). */
  rest: string;
}

/**
 * Decodes HTML character references (named and numeric) left in text, such as a feed title
 * escaped twice ("&amp;amp;") or "&#x0024;". Only complete references (with their ";"): text
 * such as "R&D" or "&notation" is prose, not a reference. Unknown names stay as written.
 */
export function decodeCharacterReferences(text: string): string {
  return text.includes('&') ? decodeHTMLStrict(text) : text;
}

const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;

/** True for the UTF-16 units that `\s` matches: ASCII and Unicode spaces, line breaks, BOM. */
export function isSpaceCode(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/**
 * Text that normalizeWhitespace would change: whitespace at either end, two in a row, any but
 * a plain space, or a zero-width character.
 */
const NEEDS_NORMALIZING = /^\s|\s$|\s\s|[^\S ]|[\u200B-\u200D\u2060\uFEFF\u00AD]/;

/** Collapses every kind of whitespace (including no-break spaces) to one space; quotes stay. */
export function normalizeWhitespace(text: string): string {
  // Most text reaching here was normalized already (each cleaning step normalizes what it
  // reads): one scan answers that without building two new strings.
  if (!NEEDS_NORMALIZING.test(text)) return text;
  return text.replace(ZERO_WIDTH, '').replace(/\s+/gu, ' ').trim();
}

/** A line that announces the end of the article and the start of a list of other links. */
const TAIL_HEADINGS =
  /^(related (posts?|articles?|stories|coverage|content|news|reading)|more (stories|news|from [\w .'-]{1,40})|you (may|might) also (like|be interested in)|recommended( for you| stories| reading)?|read next|further reading|trending( now| stories)?|most (read|popular)|latest (news|stories)|popular (posts|stories)|also read|see also)\s*:?$/i;

/** Whole-line boilerplate: each rule matches a short line on its own, never a sentence in prose. */
const LINE_RULES: readonly RegExp[] = [
  // Legal lines: "Copyright © 2026 Publisher", "© 2026 X. All rights reserved."
  /^(copyright\s*)?(©|\(c\)\s*\d{4})/i,
  /^copyright\b.{0,30}\d{4}/i,
  /^.{0,120}\ball rights reserved\b.{0,40}$/i,
  /^(source|original)( link| article)?\s*:?$/i,
  /^source:\s*\S.{0,60}$/i,
  // Pagers: "1 of 1,510", "Page 2 of 3", "< Previous | Next >"
  /^(page\s+)?\d{1,3}(,\d{3})*\s+(of|\/)\s+\d{1,3}(,\d{3})*$/i,
  /^(«\s*|<\s*)?(previous|prev|next)( (post|article|story|page))?(\s*»|\s*>)?(\s*\|\s*(previous|next)( (post|article|story|page))?(\s*»|\s*>)?)?$/i,
  // Share bars and social prompts.
  /^share( this( article| story| post)?| on \w+| via \w+)?\s*:?$/i,
  /^(tweet|email|print|copy link|facebook|twitter|linkedin|whatsapp|reddit|pinterest|telegram)(\s*[|·•,]\s*\w+)*$/i,
  /^follow us( on [\w ,&]+)?[.!]?$/i,
  /^(click|tap) here to\b.{0,120}$/i,
  /^read (more|also|next)\b.{0,160}$/i,
  /^(continue|keep) reading\b.{0,60}$/i,
  // Newsletter and subscription prompts.
  /^(sign up|subscribe|register|join)\b.{0,200}\b(newsletter|inbox|email|updates|subscribe|subscription|free|today|now|digest)\b.{0,80}$/i,
  /^(get|receive) (our|the) .{0,60}(newsletter|briefing|digest|alerts?)\b.{0,120}$/i,
  /^subscribe\b.{0,120}$/i,
  /^(already a subscriber|subscribe now|subscribers only|become a member|support our journalism)\b.{0,160}$/i,
  // Cookie and consent banners.
  /^(this|our) (web)?site uses cookies\b.{0,260}$/i,
  /^we use cookies\b.{0,260}$/i,
  /^(accept|reject|manage)( all)? cookies$/i,
  /^by (continuing|using) (to (use|browse) )?(this|our) (web)?site\b.{0,200}\bcookies?\b.{0,100}$/i,
  // Staff credits: "By Tribune staff", "By our foreign correspondent".
  /^by\s+.{0,60}\b(staff|reporters?|correspondents?|writers?|desk|editors?|wires?)\b\.?$/i,
  // Ad slots and labels.
  /^(advertisement|advertising|advert|sponsored( content)?|ad|promoted|story continues below( advertisement)?)$/i,
  /^skip to (main )?(content|navigation)$/i,
  // Publication stamps that are metadata, not text.
  /^(published|updated|posted|last updated)\s*:?\s*.{0,60}\d.{0,20}$/i,
  // Photo credits on their own line.
  /^(photo|image|picture|credit)s?\s*:\s*.{1,80}$/i,
  // Feed aggregators' footers: "submitted by user to group [link] [275 comments]", a line of
  // bracketed link labels, "Comments URL: …", and a "Related: other headline" line.
  /^(submitted|posted|shared)\s*by.{0,160}\[(link|\d[\d,.]*\s*comments?)\]$/i,
  /^(\[[^\]]{1,40}\]\s*){1,4}$/,
  /^(article url|comments url|points|# comments)\s*:.{0,200}$/i,
  /^(related|see also|more on this( story)?)\s*:\s*.{1,200}$/i,
];

/** "By Jane Doe", "By Jane Doe and John Roe, Reuters", "By JANE DOE | Staff writer". */
const BYLINE =
  /^(?:By|BY|by)\s+[\p{Lu}][\p{L}.'’-]*(\s+[\p{Lu}][\p{L}.'’-]*){0,3}(\s*(,|and|&)\s*[\p{Lu}][\p{L}.'’-]*(\s+[\p{Lu}][\p{L}.'’-]*){0,3})*(\s*[,|–—-]\s*[\p{Lu}][\p{L}.'’-]*(\s+[\p{L}.'’-]+){0,4})?\.?$/u;

const DATE_WORDS =
  /\b(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sept?(ember)?|oct(ober)?|nov(ember)?|dec(ember)?|mon(day)?|tue(s(day)?)?|wed(nesday)?|thu(rs(day)?)?|fri(day)?|sat(urday)?|sun(day)?|a\.?m|p\.?m|gmt|utc|[ecmp][sd]?t|bst|cet|updated|published|posted|last|modified|on|at)\b\.?/gi;

/** A line that is only a publication date and time ("Nov. 20, 2019 Updated: 1:35 a.m."). */
function isDateStamp(text: string): boolean {
  if (text.length > 80 || !/\d/.test(text)) return false;
  return text.replace(DATE_WORDS, ' ').replace(/[\d\s.,:/|–—-]+/g, '') === '';
}

const MENU_SEPARATOR = /\s+[|·•]\s+/u;

/**
 * A menu, a sign-in bar or a footer's links saved as one line of text: short items between
 * bars or dots ("Home | World | Business", "SIGN IN | REGISTER", "ABOUT US | CONTACT US").
 * Three items or more, or two in capitals; none with a sentence's punctuation.
 */
function isMenuLine(text: string): boolean {
  const items = text.split(MENU_SEPARATOR);
  if (items.length < 2 || items.some((item) => wordCount(item) > 3 || /[.!?,:;]/u.test(item))) return false;
  return items.length >= 3 || !/\p{Ll}/u.test(text);
}

/** True when a single line is boilerplate by itself (exported for the HTML extractor). */
export function isBoilerplateLine(line: string): boolean {
  const text = normalizeWhitespace(line);
  if (text.length === 0) return true;
  // Long lines are prose; every rule above targets short stand-alone lines.
  if (text.length > 320) return false;
  if (BYLINE.test(text) && text.length <= 100) return true;
  if (isDateStamp(text)) return true;
  if (isMenuLine(text)) return true;
  return LINE_RULES.some((rule) => rule.test(text));
}

/** True for a heading after which a page lists other articles ("Related Posts"). */
export function isTailHeading(line: string): boolean {
  return TAIL_HEADINGS.test(normalizeWhitespace(line));
}

/**
 * Normalizes whitespace and removes boilerplate lines. A "Related Posts"-style heading after
 * the body ends the article: what follows it is a list of other headlines. Consecutive
 * duplicates (a pull quote repeated by the page) are dropped.
 */
export function cleanParagraphs(paragraphs: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of paragraphs) {
    const text = normalizeWhitespace(raw);
    if (text.length === 0) continue;
    if (isTailHeading(text)) {
      if (out.length > 0) break;
      continue;
    }
    if (isBoilerplateLine(text)) continue;
    if (out[out.length - 1] === text) continue;
    out.push(text);
  }
  return out;
}

// Place: an upper-case city ("MOSCOW", "NEW YORK", "ST. PETERSBURG"), optionally followed by a
// region in any case ("KYIV, Ukraine"), an optional date ("March 3") and an optional agency in
// parentheses ("(AP)"), then a dash. A bare "(CNN) --" lead credits an agency with no place.
const PLACE = String.raw`[\p{Lu}][\p{Lu}\p{M}.'’-]*(?:\s+[\p{Lu}][\p{Lu}\p{M}.'’-]*){0,3}`;
const REGION = String.raw`(?:,\s*[\p{Lu}][\p{L}.'’-]*(?:\s+[\p{Lu}][\p{L}.'’-]*){0,2})?`;
const DATE = String.raw`(?:,\s*(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2})?`;
const AGENCY = String.raw`(?:\s*\(([\p{L}][\p{L}\p{N} .&'-]{0,30})\))?`;
const DASH = String.raw`\s*(?:—|–|--|-)\s+`;
const DATELINE_WITH_PLACE = new RegExp(`^(${PLACE}${REGION})${DATE}${AGENCY}${DASH}(\\S[\\s\\S]*)$`, 'u');
const DATELINE_AGENCY_ONLY = new RegExp(
  `^\\(([\\p{L}][\\p{L}\\p{N} .&'-]{0,30})\\)${DASH}(\\S[\\s\\S]*)$`,
  'u',
);

/**
 * Splits a dateline lead off the first paragraph: "MOSCOW — …", "WASHINGTON (AP) — …",
 * "KYIV, Ukraine — …", "LONDON, March 3 (Reuters) - …", "(CNN) -- …".
 */
export function parseDateline(firstParagraph: string): Dateline {
  const text = normalizeWhitespace(firstParagraph);
  const withPlace = DATELINE_WITH_PLACE.exec(text);
  if (withPlace) {
    const place = withPlace[1] ?? '';
    const city = place.split(',')[0] ?? '';
    // The city part must really be upper case ("THE" alone or one letter is not a place).
    if (/\p{Ll}/u.test(city) || city.replace(/[^\p{L}]/gu, '').length < 2) return { rest: text };
    const result: Dateline = { place: place.trim(), rest: withPlace[3] ?? '' };
    if (withPlace[2]) result.agency = withPlace[2].trim();
    return result;
  }
  const agencyOnly = DATELINE_AGENCY_ONLY.exec(text);
  if (agencyOnly) return { agency: (agencyOnly[1] ?? '').trim(), rest: agencyOnly[2] ?? '' };
  return { rest: text };
}

/**
 * Drops short lines that recur three or more times in one article: share bars and "Download"
 * prompts repeated under every section are chrome, a sentence repeated that often never is.
 */
export function dropRepeatedShortLines(paragraphs: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const text of paragraphs) counts.set(text, (counts.get(text) ?? 0) + 1);
  return paragraphs.filter((text) => (counts.get(text) ?? 0) < 3 || wordCount(text) > 8);
}

/** Scripts written without spaces between words, where a run of letters is a whole sentence. */
const UNSPACED_SCRIPT =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const wordSegmenter = new Intl.Segmenter(undefined, { granularity: 'word' });

/**
 * What each UTF-16 unit below U+2070 is to the word count (Latin to Myanmar, and the general
 * punctuation news text is full of: curly quotes, dashes), learnt the first time it is seen,
 * so the common case counts words by lookup instead of building an array of matches.
 */
const TABLED = 0x2070;
const OTHER = 0;
const WORD_CHAR = 1;
/** An unspaced script's character, or one beyond the table: the regular expressions decide. */
const BY_REGEX = 2;
const UNSEEN = 3;
const charKinds = new Uint8Array(TABLED).fill(UNSEEN);
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

function kindOf(code: number): number {
  if (code >= TABLED) return BY_REGEX;
  const known = charKinds[code] as number;
  if (known !== UNSEEN) return known;
  // No surrogates below the table's end: each code is one whole character.
  const char = String.fromCharCode(code);
  const kind = UNSPACED_SCRIPT.test(char) ? BY_REGEX : LETTER_OR_DIGIT.test(char) ? WORD_CHAR : OTHER;
  charKinds[code] = kind;
  return kind;
}

const NON_WORD_RUNS = /[^\p{L}\p{N}]+/gu;
const utf16 = new TextDecoder('utf-16le', { ignoreBOM: true });
/** The decoder reads the units' bytes in little-endian order: on other machines, the expression. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** Reused for every text up to 16 Ki units long (most article bodies); longer ones get their own. */
const spacedUnits = new Uint16Array(16_384);

/**
 * The text with every run of characters other than letters and digits replaced by one space,
 * as `text.replace(/[^\p{L}\p{N}]+/gu, ' ')` does. That expression costs tens of nanoseconds a
 * character on strings V8 holds as two-byte, which is every result of String#normalize and any
 * text with a curly quote, and every article's body goes through it for its content hash: the
 * lookup decides instead.
 */
export function spaceNonWordRuns(text: string): string {
  if (!LITTLE_ENDIAN) return text.replace(NON_WORD_RUNS, ' ');
  // The result is written as UTF-16 units and decoded once: no string per run.
  const units = text.length <= spacedUnits.length ? spacedUnits : new Uint16Array(text.length);
  let length = 0;
  let inRun = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const kind = kindOf(code);
    if (kind === BY_REGEX) return text.replace(NON_WORD_RUNS, ' ');
    if (kind === WORD_CHAR) {
      units[length++] = code;
      inRun = false;
    } else if (!inRun) {
      units[length++] = 0x20;
      inRun = true;
    }
  }
  // Only units below U+2070 get here: no surrogates, no byte-order mark for the decoder to eat.
  return utf16.decode(units.subarray(0, length));
}

/**
 * Number of words, as used for "too short" checks. Text in scripts written without spaces
 * (Chinese, Japanese, Thai, …) is counted with Intl.Segmenter's dictionary word breaks; other
 * text by runs of letters and digits, which gives the same count far faster.
 */
export function wordCount(text: string): number {
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const kind = kindOf(text.charCodeAt(i));
    if (kind === BY_REGEX) return wordCountOf(text);
    if (kind === WORD_CHAR && !inWord) words++;
    inWord = kind === WORD_CHAR;
  }
  return words;
}

function wordCountOf(text: string): number {
  if (UNSPACED_SCRIPT.test(text)) {
    let words = 0;
    for (const segment of wordSegmenter.segment(text)) if (segment.isWordLike) words++;
    return words;
  }
  const matches = text.match(/[\p{L}\p{N}]+/gu);
  return matches ? matches.length : 0;
}
