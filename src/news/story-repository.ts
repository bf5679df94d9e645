import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { StoryChangeLog } from '../store/change-log.ts';
import type { FieldIndex } from '../store/field-index.ts';
import type { RecordCodec } from '../store/record-store.ts';
import type { RecordStore } from '../store/types.ts';
import { storedArticleSchema, storySchema } from './schemas.ts';
import type { Story, StoredArticle } from './types.ts';

/**
 * Stories and their articles, the cached article store every reader works from. Reads go to
 * the store each time, so several instances sharing Redis see each other's ingests.
 */
export interface StoryRepository {
  getStory(id: string): Promise<Story | undefined>;
  getArticle(id: string): Promise<StoredArticle | undefined>;
  /** The stored article with this content hash, if any. */
  articleIdByHash(contentHash: string): Promise<string | undefined>;
  /** The story's articles in the order they were merged in; missing ones are skipped. */
  articlesOf(story: Story): Promise<StoredArticle[]>;
  listStories(): Promise<Story[]>;
  /** Every story, a page at a time: for walks that must not hold the whole store in memory. */
  eachStory(): AsyncIterable<Story>;
  countStories(): Promise<number>;
  /** Stories last updated before `cutoff` (epoch ms): what retention removes. */
  storiesUpdatedBefore(cutoff: number): AsyncIterable<Story>;
  putStory(story: Story): Promise<void>;
  putArticle(article: StoredArticle): Promise<void>;
  /**
   * Stores new articles together with the stories that hold them, as one unit: a crash never
   * leaves an article without its story (one transaction on SQLite; a journal elsewhere).
   */
  commitBatch(batch: IngestBatch): Promise<void>;
  /** Finishes batches a crash interrupted (a journal left behind); returns how many. */
  finishInterruptedBatches(): Promise<number>;
  deleteStory(story: Story): Promise<void>;
}

export interface IngestBatch {
  articles: readonly StoredArticle[];
  stories: readonly Story[];
  /** More writes that belong with these (the dedup index's rows), made inside the same batch. */
  alsoWrite?: () => void;
}

const journalSchema = z.object({ articles: z.array(storedArticleSchema), stories: z.array(storySchema) });
type JournalEntry = z.infer<typeof journalSchema>;
export const ingestJournalCodec: RecordCodec<JournalEntry> = { version: 1, schema: journalSchema };
export const articleHashCodec: RecordCodec<string> = { version: 1, schema: z.string() };

export interface StoryRepositoryStores {
  stories: RecordStore<Story>;
  articles: RecordStore<StoredArticle>;
  /** Content hash to article id, kept beside the articles so dedup never scans the store. */
  hashes?: RecordStore<string>;
  /** Batches being written on a backend without transactions. */
  journal?: RecordStore<JournalEntry>;
  changes?: StoryChangeLog;
  /** The backend's batch (one transaction on SQLite). */
  batch?: <T>(work: () => Promise<T>) => Promise<T>;
  /** True when batch() is all-or-nothing, so no journal is needed. */
  atomicBatches?: boolean;
  /**
   * Story ids by `updatedAt`, kept by the backend (SQLite) or by this repository's writes
   * (Redis, `upkeep`): retention then reads only the stories that expire. Without it every
   * story is read to find them.
   */
  updatedAtIndex?: FieldIndex;
  /** Told inside the delete's batch, so indexes kept beside the store forget the story too. */
  onDeleteStory?: (storyId: string) => void;
}

export function createStoryRepository(stores: StoryRepositoryStores): StoryRepository {
  const { stories, articles, hashes, journal, changes } = stores;
  const batch = stores.batch ?? (<T>(work: () => Promise<T>) => work());
  // Redis keeps no index of its own: the writer keeps the updatedAt index there.
  const upkeep = stores.updatedAtIndex?.upkeep;

  async function writeAll(entry: IngestBatch): Promise<void> {
    for (const article of entry.articles) {
      await articles.set(article.id, article);
      await hashes?.set(article.contentHash, article.id);
    }
    for (const story of entry.stories) {
      await stories.set(story.id, story);
      await upkeep?.track(story.id, story.updatedAt);
    }
    await changes?.append(entry.stories.map((story) => story.id));
  }

  /** A store written before its writer-kept index (Redis): every story is added to it, once. */
  async function fillIndex(): Promise<void> {
    if (upkeep === undefined || (await upkeep.filled())) return;
    for await (const [, story] of stories.entries()) await upkeep.track(story.id, story.updatedAt);
    await upkeep.markFilled();
  }

  return {
    getStory: (id) => stories.get(id),
    getArticle: (id) => articles.get(id),
    articleIdByHash: async (hash) => hashes?.get(hash),
    async articlesOf(story) {
      const found = await Promise.all(story.articleIds.map((id) => articles.get(id)));
      return found.filter((article): article is StoredArticle => article !== undefined);
    },
    async listStories() {
      const all: Story[] = [];
      for await (const [, story] of stories.entries()) all.push(story);
      return all;
    },
    async *eachStory() {
      for await (const [, story] of stories.entries()) yield story;
    },
    async countStories() {
      let count = 0;
      for await (const _entry of stories.entries()) count += 1;
      return count;
    },
    async *storiesUpdatedBefore(cutoff) {
      const index = stores.updatedAtIndex;
      if (index === undefined) {
        // A page at a time: a large store is never held in memory whole.
        for await (const [, story] of stories.entries())
          if (Date.parse(story.updatedAt) < cutoff) yield story;
        return;
      }
      await fillIndex();
      // updatedAt is always written as toISOString() (UTC, fixed width), so text order is time
      // order. The record itself decides, as in the walk: the index only says where to look.
      for (const id of await index.keysBelow(new Date(cutoff).toISOString())) {
        const story = await stories.get(id);
        if (story !== undefined && Date.parse(story.updatedAt) < cutoff) yield story;
      }
    },
    async putStory(story) {
      await stories.set(story.id, story);
      await upkeep?.track(story.id, story.updatedAt);
      await changes?.append([story.id]);
    },
    async putArticle(article) {
      await articles.set(article.id, article);
      await hashes?.set(article.contentHash, article.id);
    },
    async commitBatch(entry) {
      if (entry.articles.length === 0 && entry.stories.length === 0) return;
      await batch(async () => {
        // Without a transaction the whole batch is written down first; a crash part-way
        // through leaves the journal, and the next run writes it again from there.
        const journalKey = stores.atomicBatches || !journal ? undefined : randomUUID();
        if (journalKey !== undefined)
          await journal?.set(journalKey, { articles: [...entry.articles], stories: [...entry.stories] });
        await writeAll(entry);
        entry.alsoWrite?.();
        if (journalKey !== undefined) await journal?.delete(journalKey);
      });
    },
    async finishInterruptedBatches() {
      if (!journal) return 0;
      const left: [string, JournalEntry][] = [];
      for await (const item of journal.entries()) left.push(item);
      for (const [key, entry] of left) {
        await writeAll(entry);
        await journal.delete(key);
      }
      return left.length;
    },
    async deleteStory(story) {
      await batch(async () => {
        for (const id of story.articleIds) {
          const article = await articles.get(id);
          if (article && (await hashes?.get(article.contentHash)) === id)
            await hashes?.delete(article.contentHash);
          await articles.delete(id);
        }
        await stories.delete(story.id);
        await upkeep?.untrack(story.id);
        await changes?.append([story.id]);
        stores.onDeleteStory?.(story.id);
      });
    },
  };
}

/** The article a story is summarized from: the fullest copy. */
export function representativeArticle(articles: readonly StoredArticle[]): StoredArticle | undefined {
  let best: StoredArticle | undefined;
  let bestLength = -1;
  for (const article of articles) {
    const length = article.paragraphs.reduce((sum, p) => sum + p.length, 0);
    if (length > bestLength) {
      best = article;
      bestLength = length;
    }
  }
  return best;
}
