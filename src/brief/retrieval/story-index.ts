/**
 * The passage index behind /ask: every cached story's article text, split into sentences and
 * two-sentence windows, searchable with BM25 (minisearch). Sentences give precise quotes;
 * windows catch questions whose terms straddle a sentence break ("The council met on Monday.
 * It voted to close the bridge."). Titles and story entities ride along on every passage as
 * boosted fields, so a question naming the story's subject finds its passages first.
 *
 * Memory: sentence text is kept once per article; passages are small records pointing into
 * it, and minisearch stores no fields of its own.
 */
import MiniSearch from 'minisearch';
import { isVisibleTo, type Audience, type Story, type StoredArticle } from '../../news/types.ts';
import { splitSentences } from '../sentences.ts';
import { createStemmer, indexTerm, words } from './text-terms.ts';

/** One retrieved passage: a sentence, or a window of consecutive sentences, of one article. */
export interface Passage {
  storyId: string;
  articleId: string;
  /** The article's headline. */
  title: string;
  url?: string;
  text: string;
  /** Index of the passage's first sentence within its article. */
  sentenceIndex: number;
  /** 1 for a sentence, 2 for a window. */
  sentenceCount: number;
  /** BM25 score (higher is better); comparable only within one search. */
  score: number;
  /** ISO-8601 publication time (the story's when the article has none). */
  publishedAt: string;
}

export interface SearchOptions {
  /** Keep to one story (scoped follow-ups). */
  storyId?: string;
  /** Only stories this audience sees; every story when absent. */
  audience?: Audience;
  /** Most passages to return; default 10. */
  limit?: number;
  /** Only sentences, only windows, or both (default). */
  kind?: 'sentence' | 'window' | 'all';
}

/** An article as the index keeps it: its sentences, once. */
export interface IndexedArticle {
  storyId: string;
  articleId: string;
  title: string;
  url?: string;
  publishedAt: string;
  sentences: readonly string[];
  /** The story's audience (absent: shared with every server). */
  guildIds?: readonly string[];
}

export interface StoryIndex {
  /** Adds a story or replaces every passage it had before. */
  upsertStory(story: Story, articles: readonly StoredArticle[]): void;
  /** Drops a story's passages (retention); unknown ids are ignored. */
  removeStory(storyId: string): void;
  hasStory(storyId: string): boolean;
  search(query: string, options?: SearchOptions): Passage[];
  /** The indexed sentences of one article, for reading a passage's neighbours. */
  article(articleId: string): IndexedArticle | undefined;
  /** Inverse sentence frequency of a stemmed term: rare terms weigh more in answer scoring. */
  idf(stem: string): number;
  /** The stemmer the index uses, so answerers fold text exactly as it does. */
  stem(word: string): string;
  /** Number of indexed passages. */
  size(): number;
  /** Number of indexed stories. */
  storyCount(): number;
}

export interface StoryIndexOptions {
  /** Weight of the article's headline-and-entities score added to a passage's own; default 1. */
  headBoost?: number;
  /** Weight of a story-entity match relative to a headline match; default 1. */
  entityBoost?: number;
  /** Index two-sentence windows besides single sentences; default true. */
  windows?: boolean;
  /** Relative score gap under which the newer passage ranks first; default 1e-6. */
  tieEpsilon?: number;
}

/** The index's own record of an article: numeric key and parsed time for cheap ranking. */
interface ArticleEntry {
  key: number;
  time: number;
  article: IndexedArticle;
  passageIds: number[];
}

interface PassageRecord {
  entry: ArticleEntry;
  start: number;
  count: number;
}

interface Hit {
  record: PassageRecord;
  score: number;
}

interface PassageDoc {
  id: number;
  text: string;
}

interface HeadDoc {
  id: number;
  title: string;
  entities: string;
}

export function createStoryIndex(options: StoryIndexOptions = {}): StoryIndex {
  const stem = createStemmer();
  const tieEpsilon = options.tieEpsilon ?? 1e-6;
  const headBoost = options.headBoost ?? 1;
  const withWindows = options.windows ?? true;
  const processTerm = (term: string): string | null => indexTerm(term, stem);
  // Headlines and entities live in a small per-article index rather than on every passage:
  // repeating them on each passage made their posting lists as long as the passage count.
  const passageIndex = new MiniSearch<PassageDoc>({ fields: ['text'], storeFields: [], tokenize: words, processTerm });
  const headIndex = new MiniSearch<HeadDoc>({
    fields: ['title', 'entities'],
    storeFields: [],
    tokenize: words,
    processTerm,
    searchOptions: { boost: { entities: options.entityBoost ?? 1 } },
  });
  const passages = new Map<number, PassageRecord>();
  const storyArticles = new Map<string, ArticleEntry[]>();
  const articles = new Map<string, ArticleEntry>();
  // Sentence frequency per stem, for idf(); counted over single sentences only.
  const sentenceFreq = new Map<string, number>();
  let sentenceTotal = 0;
  let nextId = 1;

  function countSentences(sentences: readonly string[], delta: 1 | -1): void {
    for (const sentence of sentences) {
      sentenceTotal += delta;
      const stems = new Set<string>();
      for (const token of words(sentence)) {
        const term = processTerm(token);
        if (term !== null) stems.add(term);
      }
      for (const term of stems) {
        const next = (sentenceFreq.get(term) ?? 0) + delta;
        if (next <= 0) sentenceFreq.delete(term);
        else sentenceFreq.set(term, next);
      }
    }
  }

  function dropArticle(entry: ArticleEntry): void {
    for (const id of entry.passageIds) {
      passageIndex.discard(id);
      passages.delete(id);
    }
    headIndex.discard(entry.key);
    countSentences(entry.article.sentences, -1);
    articles.delete(entry.article.articleId);
  }

  function removeStory(storyId: string): void {
    for (const entry of storyArticles.get(storyId) ?? []) dropArticle(entry);
    storyArticles.delete(storyId);
  }

  /** An article merged into another story leaves its old story's passages. */
  function detachArticle(articleId: string): void {
    const entry = articles.get(articleId);
    if (entry === undefined) return;
    dropArticle(entry);
    const rest = (storyArticles.get(entry.article.storyId) ?? []).filter((e) => e !== entry);
    if (rest.length > 0) storyArticles.set(entry.article.storyId, rest);
    else storyArticles.delete(entry.article.storyId);
  }

  function upsertStory(story: Story, incoming: readonly StoredArticle[]): void {
    removeStory(story.id);
    const entities = story.entities.join(' ; ');
    const docs: PassageDoc[] = [];
    const entries: ArticleEntry[] = [];
    for (const source of incoming) {
      // An article belongs to one story: its latest placement wins.
      detachArticle(source.id);
      const sentences = source.paragraphs.flatMap((paragraph) => splitSentences(paragraph));
      if (sentences.length === 0) continue;
      const url = source.url ?? story.url;
      const article: IndexedArticle = {
        storyId: story.id,
        articleId: source.id,
        title: source.title || story.title,
        publishedAt: source.publishedAt ?? story.publishedAt,
        sentences,
        ...(url !== undefined ? { url } : {}),
        ...(story.guildIds !== undefined ? { guildIds: story.guildIds } : {}),
      };
      const entry: ArticleEntry = { key: nextId++, time: Date.parse(article.publishedAt) || 0, article, passageIds: [] };
      articles.set(source.id, entry);
      entries.push(entry);
      headIndex.add({ id: entry.key, title: article.title, entities });
      countSentences(sentences, 1);
      for (let start = 0; start < sentences.length; start++) {
        const sizes = withWindows && start + 1 < sentences.length ? [1, 2] : [1];
        for (const count of sizes) {
          const id = nextId++;
          passages.set(id, { entry, start, count });
          entry.passageIds.push(id);
          docs.push({ id, text: sentences.slice(start, start + count).join(' ') });
        }
      }
    }
    passageIndex.addAll(docs);
    storyArticles.set(story.id, entries);
  }

  function toPassage(record: PassageRecord, score: number): Passage {
    const { entry, start, count } = record;
    const { article } = entry;
    return {
      storyId: article.storyId,
      articleId: article.articleId,
      title: article.title,
      ...(article.url !== undefined ? { url: article.url } : {}),
      text: article.sentences.slice(start, start + count).join(' '),
      sentenceIndex: start,
      sentenceCount: count,
      score,
      publishedAt: article.publishedAt,
    };
  }

  function search(query: string, searchOptions: SearchOptions = {}): Passage[] {
    const { storyId, audience, limit = 10, kind = 'all' } = searchOptions;
    if (storyId !== undefined && !storyArticles.has(storyId)) return [];
    const head = new Map<number, number>();
    for (const result of headIndex.search(query)) head.set(result.id as number, result.score);
    // Near-equal scores put the newer article first.
    const before = (a: Hit, b: Hit): boolean => {
      const gap = a.score - b.score;
      if (Math.abs(gap) <= tieEpsilon * Math.max(a.score, b.score)) return a.record.entry.time > b.record.entry.time;
      return gap > 0;
    };
    // Keep only the best `limit` by insertion: a broad query matches tens of thousands of
    // passages, and sorting them all cost more than the search itself.
    const hits: Hit[] = [];
    for (const result of passageIndex.search(query)) {
      const record = passages.get(result.id as number);
      if (record === undefined) continue;
      if (storyId !== undefined && record.entry.article.storyId !== storyId) continue;
      if (audience !== undefined && !isVisibleTo(record.entry.article, audience)) continue;
      if (kind === 'sentence' && record.count !== 1) continue;
      if (kind === 'window' && record.count === 1) continue;
      const hit: Hit = { record, score: result.score + headBoost * (head.get(record.entry.key) ?? 0) };
      const last = hits[hits.length - 1];
      if (hits.length >= limit && (last === undefined || !before(hit, last))) continue;
      let at = hits.length;
      while (at > 0 && before(hit, hits[at - 1] as Hit)) at--;
      hits.splice(at, 0, hit);
      if (hits.length > limit) hits.pop();
    }
    return hits.slice(0, limit).map((hit) => toPassage(hit.record, hit.score));
  }

  return {
    upsertStory,
    removeStory,
    hasStory: (storyId) => storyArticles.has(storyId),
    search,
    article: (articleId) => articles.get(articleId)?.article,
    idf: (term) => Math.log(1 + (sentenceTotal + 1) / ((sentenceFreq.get(term) ?? 0) + 0.5)),
    stem,
    size: () => passages.size,
    storyCount: () => storyArticles.size,
  };
}
