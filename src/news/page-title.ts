/**
 * The headline of a page, by agreement of what the page says about itself: JSON-LD headline,
 * og:title, twitter:title, the <title> and the h1. Each is a claim; the headline is the text
 * most of them agree on, with the site's name ("… - BBC News") and section prefixes taken off.
 * A site name is only taken off when what remains is still a headline (more than a few words):
 * "Mozilla - Wikipedia" stays whole, since "Mozilla" alone no longer says what the page is.
 */
import type { parseHTML } from 'linkedom';
import { decodeCharacterReferences, normalizeWhitespace, wordCount } from './text-clean.ts';

type Doc = ReturnType<typeof parseHTML>['document'];

/** Separators sites put between the headline, the section and the site name. */
const SEPARATOR = /\s+(?:[|\-–—:»·\\/>]|::)\s+/;
/** What must remain after a site name is taken off for it to still be a headline. */
const MIN_HEADLINE_WORDS = 5;

const GENERIC_HOST_LABELS = new Set(['www', 'm', 'amp', 'news', 'blog', 'blogs', 'co', 'com', 'org', 'net', 'ac', 'gov', 'edu']);

const DUBLIN_CORE_TITLE = /^(?:dc|dcterms)\.title$/i;
/** "Section: Headline": a short lead-in before a colon, as sites put their name or section there. */
const COLON_PREFIX = /^([^:]{2,40}):\s+(\S.*)$/u;

const ARTICLE_TYPES = /Article|BlogPosting|Report|WebPage|Posting|Story|Review/i;

const clean = (text: string | null | undefined): string => normalizeWhitespace(decodeCharacterReferences(text ?? ''));
const key = (text: string): string => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
/**
 * Two claims are the same headline when they differ only in punctuation, a possessive or a
 * leading article: sites write one headline a little differently in each place ("The seven
 * secrets …" in the <title>, "Seven secrets …" in og:title; "Dropbox's ATF - an …" and "Dropbox
 * ATF: an …").
 */
const headlineKey = (text: string): string => key(text.toLowerCase().replace(/['’]s(?=[^\p{L}\p{N}]|$)/gu, '').replace(/^\W*(?:the|an?)\s+/u, ''));

function metaContent(document: Doc, selector: string): string {
  return clean(document.querySelector(selector)?.getAttribute('content'));
}

/** Dublin Core's title ("DC.Title", "dcterms.title": publishers spell the name in any case). */
function dublinCoreTitle(document: Doc): string {
  for (const meta of document.querySelectorAll('meta[name]')) {
    if (DUBLIN_CORE_TITLE.test(meta.getAttribute('name') ?? '')) return clean(meta.getAttribute('content'));
  }
  return '';
}

interface JsonLdFacts {
  headline: string;
  publisher: string;
}

/** The headline and publisher of the first article-like JSON-LD object. */
const stringOf = (value: unknown): string => (typeof value === 'string' ? value : '');

/** Of a headline and a name that differ, the one that shares more words with the <title>. */
function closerTo(docTitle: string, headline: string, name: string): string {
  if (!headline || !name || headline === name) return headline || name;
  const words = new Set(docTitle.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
  const share = (text: string): number => {
    const own = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
    return own.length === 0 ? 0 : own.filter((word) => words.has(word)).length / own.length;
  };
  return share(name) > share(headline) ? name : headline;
}

function jsonLd(document: Doc, docTitle: string): JsonLdFacts {
  for (const script of document.querySelectorAll('script[type="application/ld+json"]')) {
    let data: unknown;
    try {
      // Some sites wrap the JSON in a CDATA section, as XHTML once required.
      data = JSON.parse((script.textContent ?? '').replace(/^\s*<!\[CDATA\[|\]\]>\s*$/g, ''));
    } catch {
      continue;
    }
    const queue: unknown[] = [data];
    for (let seen = 0; queue.length > 0 && seen < 200; seen++) {
      const node = queue.shift();
      if (Array.isArray(node)) queue.push(...node);
      else if (node && typeof node === 'object') {
        const record = node as Record<string, unknown>;
        const type = JSON.stringify(record['@type'] ?? '');
        const headline = closerTo(docTitle, stringOf(record['headline']), stringOf(record['name']));
        if (ARTICLE_TYPES.test(type) && headline) {
          const publisher = record['publisher'] as Record<string, unknown> | undefined;
          return { headline: clean(headline), publisher: clean(typeof publisher?.['name'] === 'string' ? publisher['name'] : '') };
        }
        if (record['@graph']) queue.push(record['@graph']);
      }
    }
  }
  return { headline: '', publisher: '' };
}

/** Names the site goes by: declared ones and the host name's main label. */
function siteNames(document: Doc, publisher: string, pageUrl: string | undefined): Set<string> {
  const names = [metaContent(document, 'meta[property="og:site_name"]'), metaContent(document, 'meta[name="application-name"]'), publisher];
  try {
    if (pageUrl) {
      // "www.bbc.co.uk" names the site "bbc": every label but the top-level and generic ones.
      const labels = new URL(pageUrl).hostname.split('.');
      names.push(...labels.slice(0, -1).filter((label) => !GENERIC_HOST_LABELS.has(label)), labels.join('.'));
    }
  } catch {
    // An unparseable page URL names no site.
  }
  return new Set(names.map(key).filter((name) => name.length > 1));
}

/** A segment names the site when it is, or contains, or is contained in, a site name. */
function isSiteName(segment: string, sites: Set<string>): boolean {
  const k = key(segment);
  if (k.length < 2) return false;
  // "BBC News" names the site "bbc"; "Headline @ Blog name" is a headline that mentions it.
  for (const site of sites) if (k === site || (site.length >= 3 && (site.includes(k) || (k.includes(site) && k.length <= 2 * site.length)))) return true;
  return false;
}

/** Takes a site name off either end when a real headline remains. */
function withoutSiteName(title: string, sites: Set<string>): string {
  const parts = title.split(SEPARATOR);
  if (parts.length < 2) return title;
  let start = 0;
  let end = parts.length;
  if (isSiteName(parts[end - 1] ?? '', sites)) end--;
  else if (isSiteName(parts[0] ?? '', sites)) start++;
  const rest = title.split(SEPARATOR).slice(start, end);
  if (rest.length === parts.length) return title;
  // Rejoin with the separators the title used between the parts kept.
  const kept = keptText(title, start, end);
  return wordCount(kept) >= MIN_HEADLINE_WORDS ? kept : title;
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
export function pageTitle(document: Doc, pageUrl?: string): string {
  const docTitle = clean(document.querySelector('title')?.textContent);
  const ld = jsonLd(document, docTitle);
  const sites = siteNames(document, ld.publisher, pageUrl);
  const h1s = [...document.querySelectorAll('h1')].slice(0, 3).map((h1) => clean(h1.textContent)).filter(Boolean);
  const raw = [
    ld.headline,
    metaContent(document, 'meta[property="og:title"]') || metaContent(document, 'meta[name="og:title"]'),
    metaContent(document, 'meta[name="twitter:title"]') || metaContent(document, 'meta[property="twitter:title"]'),
    dublinCoreTitle(document),
    docTitle,
  ].filter(Boolean);
  const claims = raw.map((claim) => {
    const bare = withoutSitePrefix(withoutSiteName(claim, sites), sites);
    return claim === docTitle ? withoutLastPart(bare) : bare;
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
    const parts = claim.split(SEPARATOR).filter((part) => !isSiteName(part, sites));
    if (parts.length < 1 || claim.split(SEPARATOR).length < 2) return undefined;
    const longest = parts.reduce((a, b) => (b.length > a.length ? b : a));
    return h1s.some((h1) => key(h1) === key(longest)) ? longest : undefined;
  };
  const parts = raw.map((claim, order) => partOf(claim, claims[order] ?? claim));
  claims.forEach((claim, order) => vote(parts[order] ?? claim, order));
  // An h1 counts only where it agrees with a claim, or is one part of one.
  for (const h1 of h1s) {
    const agreed = claims.find((claim) => headlineKey(claim) === headlineKey(h1)) ?? parts.find((part) => part !== undefined && key(part) === key(h1));
    if (agreed) vote(agreed, claims.length);
  }
  const best = [...votes.values()].sort((a, b) => b.votes - a.votes || a.order - b.order)[0];
  return best?.text ?? h1s[0] ?? '';
}
