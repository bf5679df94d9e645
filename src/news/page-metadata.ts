/**
 * When a page says its article was published, and what the site calls itself, from the facts
 * the page declares (page-facts.ts). Both feed what readers see: "12 min ago", the ranking and
 * the age limit use the date; the story's source line shows the name.
 */
import type { JsonLdFacts, PageFacts } from './page-facts.ts';

/**
 * Meta tags that carry a publication time, after JSON-LD, in order of trust: Open Graph's
 * article tag, then <time datetime> (read apart), then Dublin Core, then the names that
 * publishing systems and analytics tags use.
 */
const ARTICLE_TIME_META = ['article:published_time', 'og:article:published_time', 'datepublished'];
const DUBLIN_CORE_META = [
  'dcterms.issued',
  'dc.date.issued',
  'dcterms.created',
  'dc.date.created',
  'dcterms.date',
  'dc.date',
];
const OTHER_TIME_META = [
  'parsely-pub-date',
  'sailthru.date',
  'pubdate',
  'publishdate',
  'publish-date',
  'date',
];

/** A date-only or date-time value without a zone ("2017-11-03 03:01:00.000000") reads as UTC. */
const ISO_WITHOUT_ZONE = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?$/u;
/** "+0100" is how many sites write "+01:00". */
const COMPACT_OFFSET = /([+-]\d{2})(\d{2})$/u;

/**
 * ISO-8601 for a declared date: ISO forms with or without a zone (none is UTC), "+0100"
 * offsets, and RFC 822 as feeds write it. Undefined when it is not a date.
 */
export function parseDeclaredDate(value: string | undefined): string | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  const bare = ISO_WITHOUT_ZONE.exec(text);
  let candidate = text;
  if (bare) {
    // Fractions past milliseconds are not read by Date.parse.
    const time = (bare[2] ?? '00:00').replace(/(\.\d{3})\d+$/u, '$1');
    candidate = `${bare[1]}T${time}Z`;
  } else if (/T\d{2}:\d{2}/u.test(text)) candidate = text.replace(COMPACT_OFFSET, '$1:$2');
  const ms = Date.parse(candidate);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** The first of the named meta tags that holds a readable date. */
function metaDate(facts: PageFacts, names: readonly string[]): string | undefined {
  for (const name of names) {
    const date = parseDeclaredDate(facts.meta.get(name));
    if (date) return date;
  }
  return undefined;
}

/**
 * When the page says its article was published: JSON-LD datePublished (dateModified when it
 * gives no other), article:published_time, the first <time datetime>, Dublin Core, then other
 * publishing systems' tags. Undefined when the page declares none: the caller keeps the time it
 * first saw the article.
 */
export function declaredPublishedAt(facts: PageFacts, ld: JsonLdFacts): string | undefined {
  return (
    parseDeclaredDate(ld.datePublished) ??
    metaDate(facts, ARTICLE_TIME_META) ??
    parseDeclaredDate(facts.times[0]) ??
    metaDate(facts, DUBLIN_CORE_META) ??
    metaDate(facts, OTHER_TIME_META) ??
    parseDeclaredDate(ld.dateModified)
  );
}

/** Longer than this, a "site name" is a slogan or a sentence, not a name. */
const MAX_SITE_NAME_CHARS = 60;

/** "Riverside Post - News that matters": a name, a separator, then a slogan. */
const NAME_THEN_TAGLINE = /^(\S.{1,40}?)\s+[-–—|:]\s+\S.*\s\S.*\s\S/u;

/**
 * The name the site declares for itself: og:site_name, the JSON-LD publisher, application-name;
 * a slogan after the name is left off.
 */
export function declaredSiteName(facts: PageFacts, ld: JsonLdFacts): string | undefined {
  const names = [facts.meta.get('og:site_name'), ld.publisher, facts.meta.get('application-name')];
  const name = names.find((candidate): candidate is string => !!candidate);
  if (!name) return undefined;
  const bare = NAME_THEN_TAGLINE.exec(name)?.[1] ?? name;
  return bare.length <= MAX_SITE_NAME_CHARS ? bare : undefined;
}
