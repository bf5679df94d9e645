/**
 * The passage index behind /ask: every cached story's article text, split into sentences and
 * two-sentence windows, searchable with BM25. Sentences give precise quotes; windows catch
 * questions whose terms straddle a sentence break ("The council met on Monday. It voted to
 * close the bridge."). A passage whose article's headline or story entities also match ranks
 * higher, so a question naming the story's subject finds its passages first.
 *
 * The implementation is SQLite FTS5 (fts-story-index.ts): persistent and updated story by
 * story. It replaced an in-memory minisearch index that every process rebuilt at start.
 */
import type { Audience, Story, StoredArticle } from '../../news/types.ts';

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
