/**
 * Article pages (HTML) into clean articles: metadata from <head>, page chrome removed,
 * @mozilla/readability over linkedom for the body (with a plain paragraph fallback when
 * Readability finds nothing), then the shared cleaning pass.
 *
 * Nothing here executes the page: linkedom builds a DOM without running scripts or loading
 * resources, and only text leaves this module.
 */
import { parseHTML } from 'linkedom';
import { lowerCaseAttributeNames } from './attribute-case.ts';
import { Readability } from '@mozilla/readability';
import type { CleanArticle } from './types.ts';
import { canonicalizeUrl } from './identity.ts';
import { cleanParagraphs, dropRepeatedShortLines, normalizeWhitespace, parseDateline } from './text-clean.ts';
import {
  markChromeNames,
  removeChrome,
  removeHardChrome,
  removeStructuralChrome,
  restore,
  textLength,
} from './page-chrome.ts';
import { pageTitle } from './page-title.ts';
import { readFacts, readJsonLd } from './page-facts.ts';
import { declaredPublishedAt, declaredSiteName } from './page-metadata.ts';
import { hasTag, queryAll, tagOf } from './dom-query.ts';
import { blockTexts } from './block-text.ts';
import type { El } from './dom-query.ts';

/** Pages beyond this size are cut: real articles are far smaller, hostile ones are not. */
const MAX_HTML_CHARS = 3_000_000;
/** Elements nested deeper than this are dropped before any recursive DOM walk. */
const MAX_DEPTH = 400;

type Doc = ReturnType<typeof parseHTML>['document'];

/** The page's <link>, <meta> and <time> elements, walked once for all the metadata read here. */
const isMetadataElement = hasTag('link,meta,time');

/**
 * `attribute` of the first of `elements` with tag `tag` whose `key` attribute is `value` (any
 * `key` when value is undefined), as querySelector(`tag[key="value"]`) would find it.
 */
function meta(
  elements: readonly El[],
  tag: string,
  key: string,
  value: string | undefined,
  attribute = 'content',
): string | undefined {
  const found = elements.find(
    (el) =>
      tagOf(el) === tag && (value === undefined ? el.hasAttribute(key) : el.getAttribute(key) === value),
  );
  const text = found?.getAttribute(attribute);
  return text ? normalizeWhitespace(text) || undefined : undefined;
}

/** `link[rel="canonical"]`: rel compares without case in HTML, as CSS attribute selectors do. */
function canonicalHref(elements: readonly El[]): string | undefined {
  const found = elements.find(
    (el) => tagOf(el) === 'link' && el.getAttribute('rel')?.toLowerCase() === 'canonical',
  );
  const href = found?.getAttribute('href');
  return href ? normalizeWhitespace(href) || undefined : undefined;
}

function resolveHttp(href: string | undefined, base: string | undefined): string | undefined {
  if (!href) return undefined;
  return canonicalizeUrl(href, base);
}

/** Removes subtrees nested deeper than MAX_DEPTH, iteratively (no recursion on hostile input). */
function pruneDeepNesting(root: El): void {
  const stack: { el: El; depth: number }[] = [{ el: root, depth: 0 }];
  while (stack.length > 0) {
    const { el, depth } = stack.pop() as { el: El; depth: number };
    for (let child = el.firstElementChild as El | null; child;) {
      const next = child.nextElementSibling as El | null;
      if (depth + 1 >= MAX_DEPTH) child.remove();
      else stack.push({ el: child, depth: depth + 1 });
      child = next;
    }
  }
}

const isNeverText = hasTag('script,style,noscript,template,figcaption');

/**
 * Paragraph texts of an HTML fragment or page, as a browser lays them out (block-text.ts).
 * Also used for feed items' HTML.
 */
export function htmlToParagraphs(html: string): string[] {
  const fragment = html.slice(0, MAX_HTML_CHARS);
  const { document } = parseHTML(`<!doctype html><html><body>${fragment}</body></html>`);
  lowerCaseAttributeNames(document, fragment);
  pruneDeepNesting(document.body as El);
  for (const el of queryAll(document, isNeverText)) el.remove();
  return blockTexts(document.body as El);
}

/**
 * Herald's chrome removal may take away at most this share of what Readability found: past
 * it, the removal has misjudged the page and Readability's own text is kept instead.
 */
const MIN_KEPT_SHARE = 0.6;

/**
 * The article through Readability, then Herald's cleaning of what Readability kept (share bars,
 * related lists and prompts that sit inside the article). Empty when Readability finds nothing.
 */
function readabilityParagraphs(document: Doc): string[] {
  let article: El | undefined;
  try {
    // The serializer hands back Readability's article element itself: no HTML string to parse again.
    // Scripts are gone before Readability reads the page, so it would find no JSON-LD anyway.
    const options = {
      charThreshold: 200,
      keepClasses: true,
      disableJSONLD: true,
      serializer: (node: unknown) => node as string,
    };
    const content = new Readability(
      document as unknown as ConstructorParameters<typeof Readability>[0],
      options,
    ).parse()?.content;
    article = (content as unknown as El | null | undefined) ?? undefined;
  } catch {
    return [];
  }
  if (!article) return [];
  removeHardChrome(article);
  const before = textLength(article);
  const removals = removeChrome(article);
  if (textLength(article) < MIN_KEPT_SHARE * before) restore(removals);
  return dropRepeatedShortLines(cleanParagraphs(blockTexts(article)));
}

const isArticleRoot = (el: El): boolean =>
  tagOf(el) === 'article' || tagOf(el) === 'main' || el.getAttribute('itemprop') === 'articleBody';

function fallbackParagraphs(document: Doc): string[] {
  const root = (queryAll(document, isArticleRoot)[0] ?? document.body) as El | null;
  if (!root) return [];
  removeChrome(root);
  return cleanParagraphs(blockTexts(root));
}

/**
 * Extracts the article from a page. `pageUrl` is where it was fetched; rel=canonical or
 * og:url, when present and http(s), override it for the article's identity.
 */
export function extractArticleFromHtml(html: string, pageUrl?: string): CleanArticle {
  const page = html.slice(0, MAX_HTML_CHARS);
  const { document } = parseHTML(page);
  lowerCaseAttributeNames(document, page);
  const root = document.documentElement as El | null;
  if (root) pruneDeepNesting(root);

  const heads = queryAll(document, isMetadataElement);
  const url =
    resolveHttp(canonicalHref(heads), pageUrl) ??
    resolveHttp(meta(heads, 'meta', 'property', 'og:url'), pageUrl) ??
    (pageUrl ? canonicalizeUrl(pageUrl) : undefined);
  const facts = readFacts(document);
  const ld = readJsonLd(facts.jsonLd, facts.docTitle);
  const title = pageTitle(document, url ?? pageUrl, facts, ld);
  const imageUrl = resolveHttp(meta(heads, 'meta', 'property', 'og:image'), url ?? pageUrl);
  const publishedAt = declaredPublishedAt(facts, ld);
  const siteName = declaredSiteName(facts, ld);
  const byline = meta(heads, 'meta', 'name', 'author');
  const label = meta(heads, 'meta', 'property', 'article:section');

  removeHardChrome(document);
  if (document.body) removeStructuralChrome(document.body as El);
  markChromeNames(document);
  let paragraphs = readabilityParagraphs(document);
  if (paragraphs.length === 0) {
    // Readability mutates the document it reads, so the fallback starts from a fresh copy.
    const fresh = parseHTML(page).document;
    lowerCaseAttributeNames(fresh, page);
    if (fresh.documentElement) pruneDeepNesting(fresh.documentElement as El);
    removeHardChrome(fresh);
    paragraphs = fallbackParagraphs(fresh);
  }

  const cleaned = paragraphs.filter((text) => text !== title);
  const article: CleanArticle = { title, paragraphs: cleaned };
  const first = cleaned[0];
  if (first !== undefined) {
    const dateline = parseDateline(first);
    if (dateline.place) article.dateline = dateline.place;
    if (dateline.place || dateline.agency) {
      if (dateline.rest) cleaned[0] = dateline.rest;
      else cleaned.shift();
    }
  }
  if (label) article.label = label;
  if (byline) article.byline = byline;
  if (url) article.url = url;
  if (publishedAt) article.publishedAt = publishedAt;
  if (imageUrl) article.imageUrl = imageUrl;
  if (siteName) article.siteName = siteName;
  return article;
}
