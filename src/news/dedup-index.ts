import type { SqliteDatabase } from '../store/sqlite-database.ts';
import { createStoredMatchLookup, MIN_SHINGLES } from './dedup-lookup.ts';
import { createPostingLists } from './dedup-postings.ts';
import {
  createStoryMatcher,
  indexKeys,
  shingleSet,
  type MatchableArticle,
  type StoryMatcher,
} from './story-merge.ts';

/**
 * Where near-duplicate matching finds the stored articles. In memory (memory and Redis: the
 * matcher is filled from the store when a process first ingests) or in the SQLite file, where
 * it is kept with the articles, so an ingest of a few items costs the same whatever the store
 * holds: no process ever loads it whole.
 */
export interface DedupIndex {
  readonly matcher: StoryMatcher;
  /** True when the index lives in the store: nothing to load or sync per process. */
  readonly persistent: boolean;
  /** True once a persistent index holds every stored article (false on a store from before it). */
  ready(): boolean;
  /** Starts an ingest run: what the run plans is matched in memory until it is committed. */
  beginRun(): void;
  /** Records committed articles for matching, in the store's current batch (its transaction). */
  persist(entries: ReadonlyArray<{ storyId: string; article: MatchableArticle }>): void;
  /** Marks the index complete after a first fill from the store. */
  markReady(): void;
  /** Forgets a deleted story's articles. */
  removeStory(storyId: string): void;
  /**
   * A replica of the index (one local file per instance on Redis) reads what the store's
   * change log holds since its last run; called before each ingest run.
   */
  catchUp?(): Promise<number>;
}

/** The index in a SQLite file, which a replica can also empty before rebuilding it. */
export interface SqliteDedupIndex extends DedupIndex {
  /** Drops every row, in the caller's batch. */
  clear(): void;
}

export function createMemoryDedupIndex(): DedupIndex {
  const matcher = createStoryMatcher();
  return {
    matcher,
    persistent: false,
    ready: () => false,
    beginRun() {},
    persist() {},
    markReady() {},
    removeStory() {},
  };
}

const SHINGLE_SIZE = 5;

/**
 * The same rule as story-merge.ts's matcher (sampled shingle keys, one posting per story per
 * key, lists full at the cap ignored, the best-voted candidates compared exactly, short
 * evidence needing a headline word in common), over tables in the store's file: the entries
 * (each article's shingles and headline) and one posting list per key (dedup-postings.ts).
 */
export function createSqliteDedupIndex(database: SqliteDatabase): SqliteDedupIndex {
  const { db } = database;
  db.exec(`
    CREATE TABLE IF NOT EXISTS dedup_entries (id INTEGER PRIMARY KEY, story_id TEXT NOT NULL, shingles BLOB NOT NULL, headline TEXT);
    CREATE INDEX IF NOT EXISTS dedup_entries_story ON dedup_entries (story_id);
    CREATE TABLE IF NOT EXISTS herald_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  `);
  const postings = createPostingLists(database, { keysOfEntry: (shingles) => indexKeys(shingles) });
  // Keys whose list is full are ignored for matching, and a full list stays full, so once
  // seen they are skipped without a query.
  const full = new Set<number>();
  // The article matched is the one persisted once its batch commits: its shingles and keys
  // are computed once for both.
  const shingleCache = new WeakMap<MatchableArticle, Uint32Array>();
  function shinglesOf(article: MatchableArticle): Uint32Array {
    let shingles = shingleCache.get(article);
    if (shingles === undefined) {
      shingles = shingleSet(article.paragraphs, SHINGLE_SIZE);
      shingleCache.set(article, shingles);
    }
    return shingles;
  }
  const keyCache = new WeakMap<Uint32Array, number[]>();
  function keysOf(shingles: Uint32Array): number[] {
    let keys = keyCache.get(shingles);
    if (keys === undefined) {
      keys = indexKeys(shingles);
      keyCache.set(shingles, keys);
    }
    return keys;
  }
  const newOverlay = () => createStoryMatcher({ shinglesOf, keysOf });
  let overlay = newOverlay();

  const stored = createStoredMatchLookup({ database, postings, shinglesOf, keysOf, full });

  const matcher: StoryMatcher = {
    get size() {
      return (
        (database.statement('SELECT COUNT(*) AS n FROM dedup_entries').get() as { n: number }).n +
        overlay.size
      );
    },
    add(storyId, article) {
      overlay.add(storyId, article);
    },
    lookAhead: (articles) => stored.lookAhead(articles),
    findMatch(article) {
      const shingles = shinglesOf(article);
      if (shingles.length < MIN_SHINGLES) return undefined;
      const best = stored.find(article, shingles);
      const recent = overlay.findMatch(article);
      if (best === undefined) return recent;
      return recent !== undefined && recent.similarity > best.similarity ? recent : best;
    },
  };

  function write(entries: ReadonlyArray<{ storyId: string; article: MatchableArticle }>): void {
    const insertEntry = database.statement(
      'INSERT INTO dedup_entries (story_id, shingles, headline) VALUES (?, ?, ?)',
    );
    const posted: { storyId: string; entry: number; keys: number[] }[] = [];
    for (const { storyId, article } of entries) {
      const shingles = shinglesOf(article);
      if (shingles.length === 0) continue;
      const id = Number(
        insertEntry.run(
          storyId,
          new Uint8Array(shingles.buffer, shingles.byteOffset, shingles.byteLength),
          article.title ?? null,
        ).lastInsertRowid,
      );
      // A full list stays full: its keys need no write.
      posted.push({ storyId, entry: id, keys: keysOf(shingles).filter((key) => !full.has(key)) });
    }
    postings.add(posted);
  }

  /** Inside the caller's batch when there is one, so the rows commit with the articles. */
  const inBatch = (work: () => void): void => database.alongside(work);

  return {
    matcher,
    persistent: true,
    ready: () =>
      database.statement("SELECT 1 FROM herald_meta WHERE key = 'dedup-ready'").get() !== undefined,
    beginRun() {
      overlay = newOverlay();
      stored.forget();
    },
    persist(entries) {
      // What was looked up ahead was the store before these entries.
      stored.forget();
      if (entries.length > 0) inBatch(() => write(entries));
    },
    markReady() {
      inBatch(() =>
        database
          .statement("INSERT OR IGNORE INTO herald_meta (key, value) VALUES ('dedup-ready', '1')")
          .run(),
      );
    },
    clear() {
      inBatch(() => {
        postings.clear();
        database.statement('DELETE FROM dedup_entries').run();
        full.clear();
      });
    },
    removeStory(storyId) {
      inBatch(() => {
        postings.removeStory(storyId);
        database.statement('DELETE FROM dedup_entries WHERE story_id = ?').run(storyId);
      });
    },
  };
}
