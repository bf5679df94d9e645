/**
 * The pure ingestion pipeline: raw bodies in, clean identified articles out, with a reason for
 * everything skipped. No I/O: the ingest job fetches, calls this, then writes the store.
 */
import type { CleanArticle } from './types.ts';
import { parseFeed } from './feed-parser.ts';
import type { FeedItem } from './feed-parser.ts';
import { extractArticleFromHtml, htmlToParagraphs } from './html-extract.ts';
import { parseScrapedText } from './scraped-text.ts';
import { cleanParagraphs, parseDateline, wordCount } from './text-clean.ts';
import { articleIdentity, canonicalizeUrl, contentHash, dropSharedIdentifiers } from './identity.ts';
import type { StoryMatcher } from './story-merge.ts';

/** One raw body as fetched or read from disk. */
export interface RawInput {
  kind: 'feed' | 'html' | 'text';
  body: string;
  /** Where the body came from (feed URL, page URL); relative links resolve against it. */
  url?: string;
  /** The configured source's name, carried through to the stored article. */
  sourceName: string;
  /** The HTTP content type, a hint for feeds (JSON Feed vs XML). */
  contentType?: string;
  /**
   * True when Herald made `sourceName` up (from a local file's name, or the host of a URL given
   * to `ingest`) rather than an admin configuring it: the name a page declares for its site,
   * else its host, is shown instead.
   */
  nameIsGuess?: boolean;
}

/** An article ready to store: cleaned, with its identity and body hash. */
export interface PreparedArticle {
  article: CleanArticle;
  /** Identity from {@link articleIdentity}: "u-…", "g-…" or "h-…". */
  id: string;
  contentHash: string;
  sourceName: string;
  /** Index in the input array it came from. */
  inputIndex: number;
  /**
   * True for a feed item that carried only a teaser: fetch `article.url`, extract it with
   * extractArticleFromHtml, then {@link upgradeTeaser}.
   */
  needsFullText: boolean;
}

export type SkipReason = 'empty' | 'too-short' | 'duplicate-in-batch';

/** An item that was read but not kept, and why. */
export interface SkippedItem {
  inputIndex: number;
  sourceName: string;
  title: string;
  reason: SkipReason;
  /** For duplicates, the id of the article kept instead. */
  duplicateOf?: string;
}

/** An input that could not be read at all (bad feed, unreadable page). */
export interface InputFailure {
  inputIndex: number;
  sourceName: string;
  message: string;
}

export interface PrepareResult {
  articles: PreparedArticle[];
  skipped: SkippedItem[];
  failures: InputFailure[];
}

/** Pages and pasted article text with fewer body words are not taken for articles. */
export const MIN_ARTICLE_WORDS = 40;

export interface PrepareOptions {
  /** Articles with fewer body words are skipped as too short (teasers excepted). Default MIN_ARTICLE_WORDS. */
  minWords?: number;
  /** A feed item whose only text is a summary under this many words is a teaser. Default 120. */
  teaserWords?: number;
  /**
   * Body text kept per article, cut before counting, hashing and everything after, so a
   * megabyte "article" costs no more than a long one. Default: no cut here.
   */
  maxArticleChars?: number;
}

/** Longer titles are cut (at a word) before any work on them: no headline is this long. */
export const MAX_TITLE_CHARS = 300;

function capTitle(title: string): string {
  if (title.length <= MAX_TITLE_CHARS) return title;
  const cut = title.lastIndexOf(' ', MAX_TITLE_CHARS);
  return `${title.slice(0, cut > MAX_TITLE_CHARS / 2 ? cut : MAX_TITLE_CHARS).trimEnd()}…`;
}

/** An article with its title and body held to the caps before it is counted or hashed. */
function capped(article: CleanArticle, maxChars: number | undefined): CleanArticle {
  const title = capTitle(article.title);
  const paragraphs =
    maxChars === undefined ? article.paragraphs : capParagraphs(article.paragraphs, maxChars);
  return title === article.title && paragraphs === article.paragraphs
    ? article
    : { ...article, title, paragraphs };
}

function feedItemToArticle(item: FeedItem, base: string | undefined): CleanArticle {
  const html = item.contentHtml ?? item.summaryHtml ?? '';
  const paragraphs = cleanParagraphs(htmlToParagraphs(html));
  const article: CleanArticle = { title: item.title, paragraphs };
  const first = paragraphs[0];
  if (first !== undefined) {
    const dateline = parseDateline(first);
    if (dateline.place) article.dateline = dateline.place;
    if ((dateline.place || dateline.agency) && dateline.rest) paragraphs[0] = dateline.rest;
  }
  const url = item.link ? canonicalizeUrl(item.link, base) : undefined;
  if (url) article.url = url;
  if (item.guid) article.guid = item.guid;
  if (item.publishedAt) article.publishedAt = item.publishedAt;
  const image = item.imageUrl ? canonicalizeUrl(item.imageUrl, base) : undefined;
  if (image) article.imageUrl = image;
  if (item.author) article.byline = item.author;
  return article;
}

function identify(article: CleanArticle): { id: string; contentHash: string } {
  const hash = contentHash(article.paragraphs);
  const input: { url?: string; guid?: string; contentHash: string } = { contentHash: hash };
  if (article.url) input.url = article.url;
  if (article.guid) input.guid = article.guid;
  return { id: articleIdentity(input), contentHash: hash };
}

function articlesOf(
  input: RawInput,
  teaserWords: number,
  minWords: number,
): { article: CleanArticle; teaser: boolean }[] {
  if (input.kind === 'feed') {
    const feed = parseFeed(input.body, input.contentType);
    const base = input.url ?? feed.link;
    const articles = feed.items.map((item) => {
      const article = feedItemToArticle(item, base);
      const words = wordCount(article.paragraphs.join(' '));
      // A summary-only item is a teaser; so is "content" too short to be the article itself.
      const teaser =
        (item.contentHtml === undefined ? words < teaserWords : words < minWords) &&
        article.url !== undefined;
      return { article, teaser };
    });
    const deduped = dropSharedIdentifiers(articles.map(({ article }) => article));
    return deduped.map((article, i) => ({ article, teaser: articles[i]?.teaser ?? false }));
  }
  if (input.kind === 'html')
    return [{ article: extractArticleFromHtml(input.body, input.url), teaser: false }];
  const article = parseScrapedText(input.body);
  const url = input.url ? canonicalizeUrl(input.url) : undefined;
  if (url) article.url = url;
  return [{ article, teaser: false }];
}

/** A file name of 16 or more hex digits (a saved page named by its hash) names nothing. */
const HASH_NAME = /^[\da-f]{16,}$/iu;

/**
 * The source name readers see for an article: a configured name as configured; a name made
 * from a file's name gives way to the name the page declares, then to its address's host, and
 * is kept only when it is not a hash.
 */
function shownSourceName(input: RawInput, article: CleanArticle): string {
  // A feed names its items' outlet by the file it came in; their links point elsewhere.
  if (!input.nameIsGuess || input.kind === 'feed') return input.sourceName;
  if (article.siteName) return article.siteName;
  const host = hostOf(article.url);
  if (host) return host;
  return HASH_NAME.test(input.sourceName.replace(/\s+/gu, '')) ? 'Local file' : input.sourceName;
}

function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).hostname.replace(/^www\./u, '') || undefined;
  } catch {
    // An address that does not parse names no host.
    return undefined;
  }
}

/** Feed metadata a full page lacks is taken from the teaser item that pointed to it. */
function withFeedMetadata(full: CleanArticle, teaser: CleanArticle): CleanArticle {
  const merged: CleanArticle = { ...full };
  if (teaser.title) merged.title = teaser.title;
  for (const key of ['guid', 'publishedAt', 'imageUrl', 'byline', 'label', 'url'] as const) {
    const value = teaser[key];
    if (merged[key] === undefined && value !== undefined) merged[key] = value;
  }
  return merged;
}

/**
 * Reads every input and returns the clean, identified articles. A failing input is reported in
 * `failures` and affects nothing else. Within the batch an article is kept once: when a feed
 * teaser and its full page are both present, the full page wins and keeps the feed's metadata.
 */
export function prepareArticles(inputs: readonly RawInput[], options: PrepareOptions = {}): PrepareResult {
  const minWords = options.minWords ?? MIN_ARTICLE_WORDS;
  const teaserWords = options.teaserWords ?? 120;
  const result: PrepareResult = { articles: [], skipped: [], failures: [] };
  const byId = new Map<string, number>();
  const byHash = new Map<string, number>();

  inputs.forEach((input, inputIndex) => {
    let found: { article: CleanArticle; teaser: boolean }[];
    try {
      found = articlesOf(input, teaserWords, minWords);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      result.failures.push({ inputIndex, sourceName: input.sourceName, message });
      return;
    }
    for (const { article: raw, teaser } of found) {
      const article = capped(raw, options.maxArticleChars);
      const skip = (reason: SkipReason, duplicateOf?: string): void => {
        const item: SkippedItem = { inputIndex, sourceName: input.sourceName, title: article.title, reason };
        if (duplicateOf) item.duplicateOf = duplicateOf;
        result.skipped.push(item);
      };
      const words = wordCount(article.paragraphs.join(' '));
      if (words === 0 && !teaser) {
        skip('empty');
        continue;
      }
      // A short feed item is still news (a headline and a few lines): only pages and pasted text
      // this short are taken for something other than an article.
      if (words < minWords && !teaser && input.kind !== 'feed') {
        skip('too-short');
        continue;
      }
      const { id, contentHash: hash } = identify(article);
      const prepared: PreparedArticle = {
        article,
        id,
        contentHash: hash,
        sourceName: shownSourceName(input, article),
        inputIndex,
        needsFullText: teaser,
      };
      const sameAt = byId.get(id) ?? (hashIdentifies(prepared) ? byHash.get(hash) : undefined);
      const same = sameAt === undefined ? undefined : result.articles[sameAt];
      if (sameAt !== undefined && same !== undefined) {
        if (same.needsFullText && !teaser) {
          // The full page arrived after its teaser: it replaces it in place.
          result.articles[sameAt] = upgradeTeaser(same, article);
          skip('duplicate-in-batch', same.id);
        } else {
          if (!same.needsFullText && teaser)
            result.articles[sameAt] = { ...same, article: withFeedMetadata(same.article, article) };
          skip('duplicate-in-batch', same.id);
        }
        continue;
      }
      byId.set(id, result.articles.length);
      if (hashIdentifies(prepared)) byHash.set(hash, result.articles.length);
      result.articles.push(prepared);
    }
  });
  return result;
}

/**
 * The article with at most `maxChars` of body text: whole paragraphs while they fit, then the
 * next one cut at a word. Summaries, topics and the answer index all work on what is kept, so
 * a megabyte "article" costs no more than a long one.
 */
export function capArticleText(prepared: PreparedArticle, maxChars: number): PreparedArticle {
  const paragraphs = capParagraphs(prepared.article.paragraphs, maxChars);
  return paragraphs === prepared.article.paragraphs
    ? prepared
    : { ...prepared, article: { ...prepared.article, paragraphs } };
}

/** Whole paragraphs while they fit in `maxChars`, then the next one cut at a word; the same array when all fit. */
function capParagraphs(paragraphs: string[], maxChars: number): string[] {
  if (paragraphs.reduce((sum, p) => sum + p.length, 0) <= maxChars) return paragraphs;
  let total = 0;
  const kept: string[] = [];
  for (const paragraph of paragraphs) {
    const room = maxChars - total;
    if (room <= 0) break;
    if (paragraph.length <= room) {
      kept.push(paragraph);
      total += paragraph.length;
      continue;
    }
    const cut = paragraph.lastIndexOf(' ', room);
    kept.push(paragraph.slice(0, cut > room / 2 ? cut : room).trimEnd() + '…');
    break;
  }
  return kept;
}

/**
 * Whether the body hash alone says two items are one article. A teaser's text is a line or two
 * and is often a stock line ("Read the full story on …") that many different items share: its
 * hash identifies nothing, so teasers are told apart by their own identity (link, GUID).
 */
export function hashIdentifies(prepared: PreparedArticle): boolean {
  return !prepared.needsFullText && prepared.article.paragraphs.length > 0;
}

/**
 * Replaces a teaser's text with the full page extracted for it. The id is recomputed so a
 * rel=canonical on the page is honoured; the feed's title, GUID and date are kept.
 * `sourceName` defaults to the teaser's source.
 */
export function upgradeTeaser(
  teaser: PreparedArticle,
  page: CleanArticle,
  sourceName?: string,
): PreparedArticle {
  const article = withFeedMetadata(page, teaser.article);
  return {
    ...teaser,
    ...identify(article),
    article,
    sourceName: sourceName ?? teaser.sourceName,
    needsFullText: false,
  };
}

/** What to do with one prepared article against the store and the story index. */
export type StoryDecision =
  | { kind: 'already-stored'; prepared: PreparedArticle; storedId: string }
  | { kind: 'merge'; prepared: PreparedArticle; storyId: string; similarity: number }
  | { kind: 'new-story'; prepared: PreparedArticle; storyId: string };

export interface StoryPlanDeps {
  matcher: StoryMatcher;
  /** The stored article's id when this article (same id, or same body hash) is already stored. */
  findStored(prepared: PreparedArticle): string | undefined;
  /** Id for a new story; defaults to "s-" + the article id's hash part. */
  newStoryId?(prepared: PreparedArticle): string;
}

/**
 * Decides, in order, whether each article is already stored, merges into an existing story
 * (a syndicated copy), or starts a new one. New stories and merged copies are added to the
 * matcher as it goes, so two copies in the same batch end up in one story.
 */
export function planStories(articles: readonly PreparedArticle[], deps: StoryPlanDeps): StoryDecision[] {
  const newStoryId = deps.newStoryId ?? ((prepared: PreparedArticle) => `s-${prepared.id.slice(2)}`);
  const storedIds = articles.map((prepared) => deps.findStored(prepared));
  deps.matcher.lookAhead?.(
    articles.filter((_, i) => storedIds[i] === undefined).map((prepared) => prepared.article),
  );
  return articles.map((prepared, i): StoryDecision => {
    const storedId = storedIds[i];
    if (storedId !== undefined) return { kind: 'already-stored', prepared, storedId };
    const match = deps.matcher.findMatch(prepared.article);
    if (match) {
      deps.matcher.add(match.storyId, prepared.article);
      return { kind: 'merge', prepared, storyId: match.storyId, similarity: match.similarity };
    }
    const storyId = newStoryId(prepared);
    deps.matcher.add(storyId, prepared.article);
    return { kind: 'new-story', prepared, storyId };
  });
}
