/**
 * What a page says about itself in its markup, gathered in one walk: the <title>, meta tags,
 * h1s, <time datetime> stamps and JSON-LD. The headline (page-title.ts), the published time
 * and the site's name (page-metadata.ts) are all read from these facts.
 */
import type { parseHTML } from 'linkedom';
import { queryAll, tagOf, type El } from './dom-query.ts';
import { decodeCharacterReferences, normalizeWhitespace } from './text-clean.ts';

type Doc = ReturnType<typeof parseHTML>['document'];

const DUBLIN_CORE_TITLE = /^(?:dc|dcterms)\.title$/i;
const ARTICLE_TYPES = /Article|BlogPosting|Report|WebPage|Posting|Story|Review/i;
/**
 * The elements a page describes itself with (title, meta, link[rel], h1, time[datetime],
 * script[type="application/ld+json"]): one walk over the document finds them all.
 */
function isFactElement(el: El): boolean {
  switch (tagOf(el)) {
    case 'title':
    case 'meta':
    case 'h1':
      return true;
    case 'time':
      return el.hasAttribute('datetime');
    case 'link':
      return el.hasAttribute('rel');
    case 'script':
      return el.getAttribute('type') === 'application/ld+json';
    default:
      return false;
  }
}
const MAX_H1S = 3;

const clean = (text: string | null | undefined): string =>
  normalizeWhitespace(decodeCharacterReferences(text ?? ''));
/** What a page says about itself, gathered in one walk over its elements. */
export interface PageFacts {
  /** The first <title>. */
  docTitle: string;
  /** Meta contents by lower-cased name or property, the first non-empty one of each. */
  meta: Map<string, string>;
  /** The first few h1s' text. */
  h1s: string[];
  /** JSON-LD scripts' text, parsed only when read. */
  jsonLd: string[];
  /** The title of the page's OpenSearch description: sites name their search after themselves. */
  searchTitle: string;
  /** The datetime of each <time> element, in document order. */
  times: string[];
}

export function readFacts(document: Doc): PageFacts {
  const facts: PageFacts = { docTitle: '', meta: new Map(), h1s: [], jsonLd: [], searchTitle: '', times: [] };
  let sawTitle = false;
  // One walk without a CSS selector: linkedom compiles a selector on every query (see dom-query.ts).
  for (const element of queryAll(document, isFactElement)) {
    switch (element.localName) {
      case 'title':
        if (!sawTitle) facts.docTitle = clean(element.textContent);
        sawTitle = true;
        break;
      case 'meta': {
        const content = clean(element.getAttribute('content'));
        // og:title is a property by the standard, but sites write name="og:title" too; microdata
        // puts datePublished in itemprop.
        for (const attribute of ['property', 'name', 'itemprop']) {
          const name = (element.getAttribute(attribute) ?? '').toLowerCase();
          // Dublin Core's title: publishers spell "DC.Title" and "dcterms.title" in any case.
          const slot = DUBLIN_CORE_TITLE.test(name) ? 'dc.title' : name;
          if (slot && content && !facts.meta.has(slot)) facts.meta.set(slot, content);
        }
        break;
      }
      case 'link': {
        const rel = (element.getAttribute('rel') ?? '').toLowerCase().split(/\s+/);
        if (
          rel.includes('search') &&
          element.getAttribute('type')?.toLowerCase() === 'application/opensearchdescription+xml' &&
          !facts.searchTitle
        )
          facts.searchTitle = clean(element.getAttribute('title'));
        break;
      }
      case 'h1':
        if (facts.h1s.length < MAX_H1S) {
          const text = clean(element.textContent);
          if (text) facts.h1s.push(text);
        }
        break;
      case 'time': {
        const when = clean(element.getAttribute('datetime'));
        if (when) facts.times.push(when);
        break;
      }
      case 'script':
        facts.jsonLd.push(element.textContent ?? '');
    }
  }
  return facts;
}

/** What the page's JSON-LD says about the article. */
export interface JsonLdFacts {
  /** The first article-like object's headline (or name, whichever is closer to the <title>). */
  headline: string;
  /** Its publisher's name. */
  publisher: string;
  /** The first datePublished, and dateModified, of an article-like object. */
  datePublished: string;
  dateModified: string;
}

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

/** A publisher given as an object ({ name }), a list of them, or a plain name. */
function publisherName(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return publisherName(value[0]);
  if (value && typeof value === 'object') return stringOf((value as Record<string, unknown>)['name']);
  return '';
}

/** The objects of every JSON-LD script, breadth first through arrays and @graph, at most 200. */
function jsonLdObjects(scripts: readonly string[]): Record<string, unknown>[] {
  const objects: Record<string, unknown>[] = [];
  for (const script of scripts) {
    let data: unknown;
    try {
      // Some sites wrap the JSON in a CDATA section, as XHTML once required.
      data = JSON.parse(script.replace(/^\s*<!\[CDATA\[|\]\]>\s*$/g, ''));
    } catch {
      continue;
    }
    const queue: unknown[] = [data];
    for (let seen = 0; queue.length > 0 && seen < 200; seen++) {
      const node = queue.shift();
      if (Array.isArray(node)) queue.push(...node);
      else if (node && typeof node === 'object') {
        const record = node as Record<string, unknown>;
        objects.push(record);
        if (record['@graph']) queue.push(record['@graph']);
      }
    }
  }
  return objects;
}

/** The article facts of the page's JSON-LD: from its first article-like object with a headline. */
export function readJsonLd(scripts: readonly string[], docTitle: string): JsonLdFacts {
  const facts: JsonLdFacts = { headline: '', publisher: '', datePublished: '', dateModified: '' };
  for (const record of jsonLdObjects(scripts)) {
    if (!ARTICLE_TYPES.test(JSON.stringify(record['@type'] ?? ''))) continue;
    // A page may describe itself (WebPage, no date) before the article (NewsArticle, dated).
    facts.datePublished ||= clean(stringOf(record['datePublished']));
    facts.dateModified ||= clean(stringOf(record['dateModified']));
    const headline = closerTo(docTitle, stringOf(record['headline']), stringOf(record['name']));
    if (headline && !facts.headline) {
      facts.headline = clean(headline);
      facts.publisher = clean(publisherName(record['publisher']));
    }
  }
  return facts;
}
