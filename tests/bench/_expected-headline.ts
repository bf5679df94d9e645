// The extract bench's title measure on Readability's test pages: what "the expected headline" of
// a page is. Readability keeps a page's <title>-style site and author names ("Mozilla -
// Wikipedia", "Headline - John C. Welch - Medium"); issue 15 asks for the headline without them.
// The measure takes off only names the page itself declares (Readability's own siteName and
// byline, or the page's markup), never a word list, and is applied alike to every system scored.
import { parseHTML } from 'linkedom';

/** The names a page goes by, as it declares them. */
export interface PageNames {
  /** Site, publisher and author names: a segment equal to one of them is a name. */
  names: string[];
  /** The main labels of the page's own host name ("pixnet" for stevenhgm.pixnet.net). */
  hostLabels: string[];
}

/** Separators between a headline and a name: spaced punctuation, or a colon after a lead-in ("Site: Headline"). */
const SEGMENT_SEPARATOR = /\s+(?:[|\-–—:·@»/]|::)\s+|:\s+/;
/** Host labels that name no site: a subdomain for a kind of service, or a second-level suffix. */
const GENERIC_LABELS = new Set([
  'www',
  'm',
  'amp',
  'blog',
  'blogs',
  'news',
  'co',
  'com',
  'org',
  'net',
  'ac',
  'gov',
  'edu',
]);
/** A host label stands in a name of at most this many words ("BBC News", "痞客邦 PIXNET"). */
const MAX_HOST_NAME_WORDS = 3;

const nameKey = (text: string): string => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
/**
 * What identifies a name: a trailing qualifier in parentheses ("Wikipedia (en)", "Jo Writer
 * (jowriter)") and a top-level domain ("Factorio.com") are not part of it.
 */
const siteKey = (text: string): string =>
  nameKey(
    text
      .trim()
      .replace(/\s*\([^()]*\)$/u, '')
      .replace(/\.(?:com|org|net|[a-z]{2})$/i, ''),
  );

function hostLabelsOf(url: string | undefined): string[] {
  if (!url) return [];
  try {
    const labels = new URL(url).hostname.toLowerCase().split('.');
    return labels.slice(0, -1).filter((label) => label.length > 1 && !GENERIC_LABELS.has(label));
  } catch {
    return [];
  }
}

/** The name strings in a JSON-LD value: a string, `{name}`, or a list of either. */
function ldNames(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(ldNames);
  if (value && typeof value === 'object') {
    const name = (value as Record<string, unknown>)['name'];
    return typeof name === 'string' ? [name] : [];
  }
  return [];
}

/** Publisher and author names of every JSON-LD object on the page (top level and `@graph`). */
function jsonLdNames(document: ReturnType<typeof parseHTML>['document']): string[] {
  const names: string[] = [];
  for (const script of document.querySelectorAll('script[type="application/ld+json"]')) {
    let data: unknown;
    try {
      data = JSON.parse((script.textContent ?? '').replace(/^\s*<!\[CDATA\[|\]\]>\s*$/g, ''));
    } catch {
      continue;
    }
    const objects = (Array.isArray(data) ? data : [data]).flatMap((item: unknown) => {
      const graph =
        item && typeof item === 'object' ? (item as Record<string, unknown>)['@graph'] : undefined;
      return Array.isArray(graph) ? [item, ...(graph as unknown[])] : [item];
    });
    for (const object of objects) {
      if (!object || typeof object !== 'object') continue;
      const record = object as Record<string, unknown>;
      names.push(...ldNames(record['publisher']), ...ldNames(record['author']));
    }
  }
  return names;
}

/**
 * The names a page declares for its site and its author: Readability's expected siteName and
 * byline; og:site_name, application-name and the author meta; JSON-LD publisher and author; the
 * title of its OpenSearch description (a site's search is named after the site); the title of a
 * link to the top of its site (rel top, start or home); and the host of its canonical URL
 * (og:url or rel=canonical), as the bench gives pages a made-up address.
 */
export function declaredNames(
  html: string,
  expected: { siteName?: string | null | undefined; byline?: string | null | undefined },
): PageNames {
  const { document } = parseHTML(html);
  const meta = (selector: string): string => document.querySelector(selector)?.getAttribute('content') ?? '';
  const linkTitles = [...document.querySelectorAll('link[title]')]
    .filter((link) => {
      const rel: string[] = (link.getAttribute('rel') ?? '').toLowerCase().split(/\s+/);
      const type = (link.getAttribute('type') ?? '').toLowerCase();
      return (
        (rel.includes('search') && type === 'application/opensearchdescription+xml') ||
        rel.some((word) => ['top', 'start', 'home'].includes(word))
      );
    })
    .map((link) => link.getAttribute('title') ?? '');
  const names = [
    expected.siteName ?? '',
    expected.byline ?? '',
    meta('meta[property="og:site_name"]'),
    meta('meta[name="application-name"]'),
    meta('meta[name="author"]'),
    ...jsonLdNames(document),
    ...linkTitles,
  ];
  const canonical =
    document.querySelector('link[rel="canonical"]')?.getAttribute('href') ?? meta('meta[property="og:url"]');
  return {
    names: [...new Set(names.map((name) => name.trim()).filter(Boolean))],
    hostLabels: hostLabelsOf(canonical),
  };
}

function isName(segment: string, names: PageNames): boolean {
  const key = siteKey(segment);
  if (!key) return false;
  if (names.names.some((name) => siteKey(name) === key)) return true;
  const words: string[] = segment.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.length <= MAX_HOST_NAME_WORDS && names.hostLabels.some((label) => words.includes(label));
}

/**
 * The headline the issue means: Readability's expected title without the page's own names at
 * its ends. Segments (between separators) that are a declared name are taken off one at a
 * time, the last first, then the first, while more than one segment remains: "Headline - Jo
 * Writer - Medium" with siteName "Medium" and byline "Jo Writer" is "Headline". A title that
 * does not carry a declared name at an end is its own headline.
 */
export function expectedHeadline(title: string, names: PageNames): string {
  let rest = title;
  for (;;) {
    const parts = rest.split(SEGMENT_SEPARATOR);
    if (parts.length < 2) return rest;
    const first = parts[0] ?? '';
    const last = parts[parts.length - 1] ?? '';
    if (isName(last, names))
      rest = rest
        .slice(0, rest.length - last.length)
        .replace(/(?:\s+(?:[|\-–—:·@»/]|::)|:)\s+$/u, '')
        .trim();
    else if (isName(first, names))
      rest = rest
        .slice(first.length)
        .replace(/^(?:\s+(?:[|\-–—:·@»/]|::)|:)\s+/u, '')
        .trim();
    else return rest;
  }
}
