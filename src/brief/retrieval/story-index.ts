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
import type { Story, StoredArticle } from '../../news/types.ts';
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
  /** Weight of a title match relative to the passage text; default 1.5. */
  titleBoost?: number;
  /** Weight of a story-entity match; default 1.5. */
  entityBoost?: number;
  /** Relative score gap under which the newer passage ranks first; default 1e-6. */
  tieEpsilon?: number;
}

interface PassageRecord {
  article: IndexedArticle;
  start: number;
  count: number;
}

interface IndexDoc {
  id: number;
  text: string;
  title: string;
  entities: string;
}

export function createStoryIndex(options: StoryIndexOptions = {}): StoryIndex {
  const stem = createStemmer();
  const tieEpsilon = options.tieEpsilon ?? 1e-6;
  const processTerm = (term: string): string | null => indexTerm(term, stem);
  const mini = new MiniSearch<IndexDoc>({
    fields: ['text', 'title', 'entities'],
    storeFields: [],
    tokenize: words,
    processTerm,
    searchOptions: {
      boost: { title: options.titleBoost ?? 1.5, entities: options.entityBoost ?? 1.5 },
      combineWith: 'OR',
    },
  });
  const passages = new Map<number, PassageRecord>();
  const storyPassages = new Map<string, number[]>();
  const storyArticleIds = new Map<string, string[]>();
  const articles = new Map<string, IndexedArticle>();
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

  function removeStory(storyId: string): void {
    const ids = storyPassages.get(storyId);
    if (ids === undefined) return;
    for (const id of ids) {
      mini.discard(id);
      passages.delete(id);
    }
    for (const articleId of storyArticleIds.get(storyId) ?? []) {
      const indexed = articles.get(articleId);
      if (indexed !== undefined) countSentences(indexed.sentences, -1);
      articles.delete(articleId);
    }
    storyPassages.delete(storyId);
    storyArticleIds.delete(storyId);
  }

  function upsertStory(story: Story, storyArticles: readonly StoredArticle[]): void {
    removeStory(story.id);
    const entities = story.entities.join(' ; ');
    const docs: IndexDoc[] = [];
    const ids: number[] = [];
    const articleIds: string[] = [];
    for (const source of storyArticles) {
      // An article stored under two stories keeps only its latest placement.
      if (articles.has(source.id)) continue;
      const sentences = source.paragraphs.flatMap((paragraph) => splitSentences(paragraph));
      if (sentences.length === 0) continue;
      const indexed: IndexedArticle = {
        storyId: story.id,
        articleId: source.id,
        title: source.title || story.title,
        publishedAt: source.publishedAt ?? story.publishedAt,
        sentences,
        ...(source.url !== undefined ? { url: source.url } : story.url !== undefined ? { url: story.url } : {}),
      };
      articles.set(source.id, indexed);
      articleIds.push(source.id);
      countSentences(sentences, 1);
      for (let start = 0; start < sentences.length; start++) {
        for (const count of sentences.length - start >= 2 ? [1, 2] : [1]) {
          const id = nextId++;
          passages.set(id, { article: indexed, start, count });
          ids.push(id);
          const text = count === 1 ? (sentences[start] ?? '') : `${sentences[start] ?? ''} ${sentences[start + 1] ?? ''}`;
          docs.push({ id, text, title: indexed.title, entities });
        }
      }
    }
    mini.addAll(docs);
    storyPassages.set(story.id, ids);
    storyArticleIds.set(story.id, articleIds);
  }

  function toPassage(record: PassageRecord, score: number): Passage {
    const { article, start, count } = record;
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
    const { storyId, limit = 10, kind = 'all' } = searchOptions;
    if (storyId !== undefined && !storyPassages.has(storyId)) return [];
    const hits: Array<{ record: PassageRecord; score: number; time: number }> = [];
    for (const result of mini.search(query)) {
      const record = passages.get(result.id as number);
      if (record === undefined) continue;
      if (storyId !== undefined && record.article.storyId !== storyId) continue;
      if (kind === 'sentence' && record.count !== 1) continue;
      if (kind === 'window' && record.count === 1) continue;
      hits.push({ record, score: result.score, time: Date.parse(record.article.publishedAt) || 0 });
    }
    // minisearch already sorts by score; re-sort so near-equal scores put the newer story first.
    hits.sort((a, b) => {
      const gap = b.score - a.score;
      if (Math.abs(gap) <= tieEpsilon * Math.max(a.score, b.score)) return b.time - a.time;
      return gap;
    });
    return hits.slice(0, limit).map((hit) => toPassage(hit.record, hit.score));
  }

  return {
    upsertStory,
    removeStory,
    hasStory: (storyId) => storyPassages.has(storyId),
    search,
    article: (articleId) => articles.get(articleId),
    idf: (term) => Math.log(1 + (sentenceTotal + 1) / ((sentenceFreq.get(term) ?? 0) + 0.5)),
    stem,
    size: () => passages.size,
    storyCount: () => storyPassages.size,
  };
}
