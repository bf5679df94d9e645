/**
 * The headline of a page, by agreement of what the page says about itself: JSON-LD headline,
 * og:title, twitter:title, the <title> and the h1. Each is a claim; the headline is the text
 * most of them agree on, with the names of the site and the author ("… - BBC News", "… | Jo
 * Writer") and section prefixes taken off. A name is only taken off when what remains is still a
 * headline (more than a few words): "Mozilla - Wikipedia" stays whole, since "Mozilla" alone no
 * longer says what the page is, unless the page's own h1 says the headline is "Mozilla".
 */
import type { parseHTML } from 'linkedom';
import { readFacts, readJsonLd, type JsonLdFacts, type PageFacts } from './page-facts.ts';
import { spaceNonWordRuns, wordCount } from './text-clean.ts';

type Doc = ReturnType<typeof parseHTML>['document'];

/**
 * Separators sites put between the headline, the section and the site name. "@" joins a post to
 * the blog it is on ("Post @ Blog name").
 */
const SEPARATOR = /\s+(?:[|\-–—:»·\\/>@]|::)\s+/;
/** What must remain after a name is taken off for it to still be a headline. */
const MIN_HEADLINE_WORDS = 5;

const GENERIC_HOST_LABELS = new Set([
  'www',
  'm',
  'amp',
  'news',
  'blog',
  'blogs',
  'co',
  'com',
  'org',
  'net',
  'ac',
  'gov',
  'edu',
]);

/** "Section: Headline": a short lead-in before a colon, as sites put their name or section there. */
const COLON_PREFIX = /^([^:]{2,40}):\s+(\S.*)$/u;

/** Letters and digits only, lower-cased (spaceNonWordRuns: the Unicode-class expression is slow on two-byte strings). */
const key = (text: string): string => spaceNonWordRuns(text.toLowerCase()).replaceAll(' ', '');
/**
 * Two claims are the same headline when they differ only in punctuation, a possessive or a
 * leading article: sites write one headline a little differently in each place ("The seven
 * secrets …" in the <title>, "Seven secrets …" in og:title; "Dropbox's ATF - an …" and "Dropbox
 * ATF: an …").
 */
const headlineKey = (text: string): string =>
  key(
    text
      .toLowerCase()
      .replace(/['’]s(?=[^\p{L}\p{N}]|$)/gu, '')
      .replace(/^\W*(?:the|an?)\s+/u, ''),
  );

/** "www.bbc.co.uk" names the site "bbc": every label but the top-level and generic ones. */
function hostNames(url: string): string[] {
  try {
    const labels = new URL(url).hostname.split('.');
    return [...labels.slice(0, -1).filter((label) => !GENERIC_HOST_LABELS.has(label)), labels.join('.')];
  } catch {
    // An unparseable address names no site.
    return [];
  }
}

/** The names a page goes by. */
interface Names {
  /** The site's: declared ones and its host names' main labels. */
  sites: Set<string>;
  /** The author's, as the page declares them: only a whole segment equal to one is a name. */
  authors: Set<string>;
}

/**
 * Names the site goes by: og:site_name, application-name, the JSON-LD publisher, its OpenSearch
 * title without a qualifier ("Wikipedia (en)"), and the main labels of the page's address (the
 * caller passes its canonical address when the page has one).
 */
function pageNames(facts: PageFacts, publisher: string, pageUrl: string | undefined): Names {
  const sites = [
    facts.meta.get('og:site_name') ?? '',
    facts.meta.get('application-name') ?? '',
    publisher,
    facts.searchTitle.replace(/\s*\([^()]*\)$/u, ''),
  ];
  if (pageUrl) sites.push(...hostNames(pageUrl));
  const authors = [facts.meta.get('author') ?? ''];
  const keys = (names: string[]): Set<string> => new Set(names.map(key).filter((name) => name.length > 1));
  return { sites: keys(sites), authors: keys(authors) };
}

/** A segment names the site when it is, or contains, or is contained in, a site name. */
function isSiteName(segment: string, sites: Set<string>): boolean {
  const k = key(segment);
  if (k.length < 2) return false;
  // "BBC News" names the site "bbc"; "Headline @ Blog name" is a headline that mentions it.
  for (const site of sites)
    if (
      k === site ||
      (site.length >= 3 && (site.includes(k) || (k.includes(site) && k.length <= 2 * site.length)))
    )
      return true;
  return false;
}

const isName = (segment: string, names: Names): boolean =>
  isSiteName(segment, names.sites) || names.authors.has(key(segment));

/**
 * Takes the site's and the author's names off either end, one at a time ("Headline | Jo Writer
 * | The Paper"), while a real headline remains.
 */
function withoutNames(title: string, names: Names): string {
  const parts = title.split(SEPARATOR);
  let start = 0;
  let end = parts.length;
  while (end - start > 1) {
    const last = isName(parts[end - 1] ?? '', names);
    const next = last
      ? keptText(title, start, end - 1)
      : isName(parts[start] ?? '', names)
        ? keptText(title, start + 1, end)
        : '';
    if (!next || wordCount(next) < MIN_HEADLINE_WORDS) break;
    if (last) end--;
    else start++;
  }
  return start === 0 && end === parts.length ? title : keptText(title, start, end);
}

/** Takes a "Site name: " lead-in off when a real headline remains ("Valley Post: Gates open …"). */
function withoutSitePrefix(title: string, sites: Set<string>): string {
  const match = COLON_PREFIX.exec(title);
  if (!match || !isSiteName(match[1] ?? '', sites)) return title;
  const rest = match[2] ?? '';
  return wordCount(rest) >= MIN_HEADLINE_WORDS ? rest : title;
}

/**
 * A <title> ends with the site's name or section by convention ("Headline | Section"): the
 * last part goes when a real headline remains.
 */
function withoutLastPart(title: string): string {
  const parts = title.split(SEPARATOR);
  if (parts.length < 2) return title;
  const kept = keptText(title, 0, parts.length - 1);
  return wordCount(kept) >= MIN_HEADLINE_WORDS ? kept : title;
}

function keptText(title: string, start: number, end: number): string {
  const pieces: string[] = [];
  const separators: string[] = [];
  let rest = title;
  for (;;) {
    const match = SEPARATOR.exec(rest);
    if (!match) break;
    pieces.push(rest.slice(0, match.index));
    separators.push(match[0]);
    rest = rest.slice(match.index + match[0].length);
  }
  pieces.push(rest);
  let out = pieces[start] ?? '';
  for (let i = start + 1; i < end; i++) out += `${separators[i - 1] ?? ' '}${pieces[i] ?? ''}`;
  return out.trim();
}

/**
 * The page's headline. Claims in order of how much a site means them as the headline: JSON-LD,
 * og:title, twitter:title, Dublin Core's title, <title>, h1. The text the most claims share wins
 * (ties go to the earlier claim); an h1 that is one part of the <title> ("Headline | Section |
 * Site") is that part, which takes off section prefixes the site put in its <title>.
 */
export function pageTitle(
  document: Doc,
  pageUrl?: string,
  facts: PageFacts = readFacts(document),
  ld: JsonLdFacts = readJsonLd(facts.jsonLd, facts.docTitle),
): string {
  const { docTitle, h1s } = facts;
  const names = pageNames(facts, ld.publisher, pageUrl);
  const { sites } = names;
  const raw = [
    ld.headline,
    facts.meta.get('og:title'),
    facts.meta.get('twitter:title'),
    facts.meta.get('dc.title'),
    docTitle,
  ].filter((claim): claim is string => Boolean(claim));
  const claims = raw.map((claim) => {
    const bare = withoutSitePrefix(withoutNames(claim, names), sites);
    // Once the <title>'s last part is gone, a name may stand at its end: "Post @ Blog | Platform".
    return claim === docTitle ? withoutNames(withoutLastPart(bare), names) : bare;
  });

  const votes = new Map<string, { text: string; votes: number; order: number }>();
  // Each group of claims that are the same headline shows the text of its earliest claim.
  const vote = (text: string, order: number): void => {
    const k = headlineKey(text);
    if (!k) return;
    const entry = votes.get(k) ?? { text, votes: 0, order };
    entry.votes++;
    votes.set(k, entry);
  };
  // A claim of which the h1 is one part ("Section | Headline | Site") votes for that part. Only
  // the longest part that is not the site's name can be the headline: an h1 naming the section
  // ("Health Center" in "Headline | Health Center | Site") does not take the title's vote. The
  // part's own text is kept: an h1 may carry a permalink mark ("¶") the <title> has not.
  const partOf = (claim: string, bare: string): string | undefined => {
    // "Opinion: Headline" where the article's own h1 is "Headline": the lead-in is a section.
    const lead = COLON_PREFIX.exec(bare);
    if (lead && h1s.some((h1) => key(h1) === key(lead[2] ?? ''))) return lead[2];
    const parts = claim.split(SEPARATOR).filter((part) => !isName(part, names));
    if (parts.length < 1 || claim.split(SEPARATOR).length < 2) return undefined;
    const longest = parts.reduce((a, b) => (b.length > a.length ? b : a));
    return h1s.some((h1) => key(h1) === key(longest)) ? longest : undefined;
  };
  const parts = raw.map((claim, order) => partOf(claim, claims[order] ?? claim));
  claims.forEach((claim, order) => vote(parts[order] ?? claim, order));
  // An h1 counts only where it agrees with a claim, or is one part of one.
  for (const h1 of h1s) {
    const agreed =
      claims.find((claim) => headlineKey(claim) === headlineKey(h1)) ??
      parts.find((part) => part !== undefined && key(part) === key(h1));
    if (agreed) vote(agreed, claims.length);
  }
  const best = [...votes.values()].sort((a, b) => b.votes - a.votes || a.order - b.order)[0];
  return best?.text ?? h1s[0] ?? '';
}
