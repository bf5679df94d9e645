/**
 * The metadata a pasted or saved article carries above its text: a byline ("By Jane Doe",
 * "By . Jane Doe ." when a page's line breaks were flattened to " . ") and publication stamps
 * ("PUBLISHED: 12:52 EST, 2 October 2013 | UPDATED: …", "Last updated at 4:43 PM on 22nd
 * September 2011"). They are read as metadata, so none of them becomes the headline or the
 * first sentence of the story.
 */

export interface LeadingMetadata {
  byline?: string;
  /** ISO-8601 time of the "published" stamp, when it names a date. */
  publishedAt?: string;
}

/** Words a credit line is made of besides names ("By Daily Mail Reporter and Associated Press"). */
const CREDIT_JOINERS = new Set(['and', 'for', 'of', 'the', 'in', '&', 'de', 'van', 'von', 'la']);
const MAX_CREDIT_CHARS = 80;
const MAX_STAMP_CHARS = 70;

/** A credit: every word a capitalized name word or a joiner ("Tara Brady", "Daily Mail Reporter"). */
function isCredit(text: string): boolean {
  if (text.length < 2 || text.length > MAX_CREDIT_CHARS) return false;
  const words = text.split(/\s+|,\s*/u).filter(Boolean);
  return (
    words.length > 0 &&
    words.length <= 10 &&
    words.every((word) => /^[\p{Lu}][\p{L}'’.-]*$/u.test(word) || CREDIT_JOINERS.has(word.toLowerCase()))
  );
}

const STAMP_OPENER =
  /^(published|updated|last updated|posted|last modified|created)(\s+at|\s+on)?\s*:?\s*(\.\s+)?/iu;
/** The " . " a flattened page leaves between what were separate lines. */
const FLAT_BREAK = /\s+\.\s+/u;

/** The text up to the next flattened break, and what follows it. */
function untilBreak(text: string): { part: string; rest: string } | undefined {
  const match = FLAT_BREAK.exec(text);
  if (!match) return undefined;
  return { part: text.slice(0, match.index).trim(), rest: text.slice(match.index + match[0].length) };
}

/** The byline at the start of a line: "By . Tara Brady . rest" or a whole "By Tara Brady" line. */
function takeByline(line: string): { byline: string; rest: string } | undefined {
  const opener = /^by\s*(?:\.\s+|\s)/iu.exec(line);
  if (!opener) return undefined;
  const after = line.slice(opener[0].length);
  const flat = untilBreak(after);
  if (flat && isCredit(flat.part)) {
    // "By . Jane Doe . and John Roe . text": co-authors, each on what was its own line.
    let byline = flat.part;
    let rest = flat.rest;
    for (let next = untilBreak(rest); next && /^and\s/iu.test(next.part) && isCredit(next.part);) {
      byline = `${byline} ${next.part}`;
      rest = next.rest;
      next = untilBreak(rest);
    }
    return { byline, rest };
  }
  const whole = after.replace(/[\s.]+$/u, '');
  // "By Jane Doe, Reuters" on its own line.
  const [name = '', ...tail] = whole.split(/\s*[,|–—]\s*/u);
  if (isCredit(name) && tail.every(isCredit)) return { byline: whole, rest: '' };
  return undefined;
}

/** A stamp at the start of a line: "PUBLISHED: . 12:52 EST, 2 October 2013 . rest". */
function takeStamp(line: string): { published: boolean; when: string; rest: string } | undefined {
  const opener = STAMP_OPENER.exec(line);
  if (!opener) return undefined;
  const published = /^publ|^posted|^created/iu.test(opener[1] ?? '');
  const after = line.slice(opener[0].length);
  const flat = untilBreak(after);
  const candidate = flat ?? { part: after.replace(/[\s.]+$/u, ''), rest: '' };
  // A stamp may carry its partner on the same line: "PUBLISHED: 12:52 EST, 2 Oct 2013 | UPDATED: …".
  const [when = '', ...others] = candidate.part.split(/\s*\|\s*/u);
  if (when.length > MAX_STAMP_CHARS || !/\d/u.test(when)) return undefined;
  const rest = others.length > 0 ? `${others.join(' | ')} . ${candidate.rest}`.trim() : candidate.rest;
  return { published, when, rest };
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] as const;
/** Offsets in hours of the zone abbreviations English-language stamps use. */
const ZONES: Readonly<Record<string, number>> = {
  utc: 0,
  gmt: 0,
  bst: 1,
  cet: 1,
  cest: 2,
  est: -5,
  edt: -4,
  cst: -6,
  cdt: -5,
  mst: -7,
  mdt: -6,
  pst: -8,
  pdt: -7,
};

/**
 * "12:52 EST, 2 October 2013", "4:43 PM on 22nd September 2011", "Oct. 2, 2013 10:00 a.m. EDT"
 * as ISO-8601; undefined when no day, month and year are found. No zone reads as UTC.
 */
export function parseStampDate(text: string): string | undefined {
  const lower = text.toLowerCase();
  const monthMatch = /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?/u.exec(lower);
  const year = /\b(19|20)\d{2}\b/u.exec(lower);
  if (!monthMatch || !year) return undefined;
  const month = MONTHS.indexOf(monthMatch[1] as (typeof MONTHS)[number]);
  const withoutTime = lower.replace(/\b\d{1,2}:\d{2}\b/gu, ' ');
  const day = /\b(\d{1,2})(st|nd|rd|th)?\b/u.exec(withoutTime.replace(year[0], ' '));
  if (!day) return undefined;
  const time = /\b(\d{1,2}):(\d{2})\s*([ap])?\.?m?\.?/u.exec(lower);
  let hours = time ? Number(time[1]) : 0;
  const minutes = time ? Number(time[2]) : 0;
  if (time?.[3] === 'p' && hours < 12) hours += 12;
  if (time?.[3] === 'a' && hours === 12) hours = 0;
  const zone = /\b(utc|gmt|bst|cest|cet|est|edt|cst|cdt|mst|mdt|pst|pdt)\b/u.exec(lower);
  const offset = zone ? (ZONES[zone[1] ?? 'utc'] ?? 0) : 0;
  // A day past the month's end ("31 September") is not a date.
  if (new Date(Date.UTC(Number(year[0]), month, Number(day[1]))).getUTCDate() !== Number(day[1]))
    return undefined;
  const date = new Date(Date.UTC(Number(year[0]), month, Number(day[1]), hours - offset, minutes));
  return date.toISOString();
}

/**
 * Removes bylines and publication stamps from the start of `lines` (changing it in place) and
 * returns what they said. Stops at the first line that is neither.
 */
export function takeLeadingMetadata(lines: string[]): LeadingMetadata {
  const found: LeadingMetadata = {};
  for (let guard = 0; guard < 12 && lines.length > 0; guard++) {
    const line = (lines[0] ?? '').replace(/^[|\s]+(?:\.\s+)?/u, '');
    const byline = takeByline(line);
    const stamp = byline ? undefined : takeStamp(line);
    if (!byline && !stamp) {
      lines[0] = line;
      break;
    }
    if (byline) found.byline ??= byline.byline;
    if (stamp?.published && found.publishedAt === undefined) {
      const when = parseStampDate(stamp.when);
      if (when) found.publishedAt = when;
    }
    const rest = (byline?.rest ?? stamp?.rest ?? '').trim();
    if (rest === '') lines.shift();
    else lines[0] = rest;
  }
  return found;
}
