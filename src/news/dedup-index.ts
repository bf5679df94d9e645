import type { SqliteDatabase } from '../store/sqlite-database.ts';
import {
  containment,
  createStoryMatcher,
  headlinesMayAgree,
  headlineWords,
  indexKeys,
  MAX_CANDIDATES,
  MAX_POSTINGS,
  SHORT_EVIDENCE_SHINGLES,
  shingleSet,
  type MatchableArticle,
  type StoryMatch,
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
const MIN_SHINGLES = 6;
const THRESHOLD = 0.5;

/**
 * The same rule as story-merge.ts's matcher (sampled shingle keys, one posting per story per
 * key, postings beyond the cap ignored, the best-voted candidates compared exactly, short
 * evidence needing a headline word in common), over two tables in the store's file.
 */
export function createSqliteDedupIndex(database: SqliteDatabase): SqliteDedupIndex {
  const { db } = database;
  db.exec(`
    CREATE TABLE IF NOT EXISTS dedup_entries (id INTEGER PRIMARY KEY, story_id TEXT NOT NULL, shingles BLOB NOT NULL, headline TEXT);
    CREATE INDEX IF NOT EXISTS dedup_entries_story ON dedup_entries (story_id);
    -- One posting per story per shingle (the first article's): a story copied ten thousand
    -- times costs one posting, so it stays findable under the cap.
    CREATE TABLE IF NOT EXISTS dedup_postings (shingle INTEGER NOT NULL, story_id TEXT NOT NULL, entry INTEGER NOT NULL, PRIMARY KEY (shingle, story_id)) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS dedup_postings_entry ON dedup_postings (entry);
    CREATE TABLE IF NOT EXISTS herald_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  `);
  let overlay = createStoryMatcher();
  // Shingles past the postings cap are ignored for matching; their lists only grow, so once
  // seen they are skipped without a query (until a restart, when retention may have shrunk them).
  const capped = new Set<number>();

  function storedMatch(shingles: Uint32Array, headline: Set<string> | undefined): StoryMatch | undefined {
    const votes = new Map<number, number>();
    const postings = database.statement('SELECT entry FROM dedup_postings WHERE shingle = ? LIMIT ?');
    for (const key of indexKeys(shingles)) {
      if (capped.has(key)) continue;
      const rows = postings.all(key, MAX_POSTINGS) as { entry: number }[];
      if (rows.length >= MAX_POSTINGS) {
        if (capped.size < 1_000_000) capped.add(key);
        continue;
      }
      for (const { entry } of rows) votes.set(entry, (votes.get(entry) ?? 0) + 1);
    }
    const candidates = [...votes.entries()].sort((x, y) => y[1] - x[1]).slice(0, MAX_CANDIDATES);
    const entryRow = database.statement('SELECT story_id, shingles, headline FROM dedup_entries WHERE id = ?');
    let best: StoryMatch | undefined;
    for (const [id] of candidates) {
      const row = entryRow.get(id) as { story_id: string; shingles: Uint8Array; headline: string | null } | undefined;
      if (row === undefined) continue;
      const stored = new Uint32Array(row.shingles.buffer.slice(row.shingles.byteOffset, row.shingles.byteOffset + row.shingles.byteLength));
      if (stored.length < MIN_SHINGLES) continue;
      const similarity = containment(shingles, stored);
      if (similarity < THRESHOLD || (best !== undefined && similarity <= best.similarity)) continue;
      const shortEvidence = Math.min(shingles.length, stored.length) < SHORT_EVIDENCE_SHINGLES;
      if (shortEvidence && !headlinesMayAgree(headline, headlineWords(row.headline ?? undefined))) continue;
      best = { storyId: row.story_id, similarity };
    }
    return best;
  }

  const matcher: StoryMatcher = {
    get size() {
      return (database.statement('SELECT COUNT(*) AS n FROM dedup_entries').get() as { n: number }).n + overlay.size;
    },
    add(storyId, article) {
      overlay.add(storyId, article);
    },
    findMatch(article) {
      const shingles = shingleSet(article.paragraphs, SHINGLE_SIZE);
      if (shingles.length < MIN_SHINGLES) return undefined;
      const stored = storedMatch(shingles, headlineWords(article.title));
      const recent = overlay.findMatch(article);
      if (stored === undefined) return recent;
      return recent !== undefined && recent.similarity > stored.similarity ? recent : stored;
    },
  };

  function write(entries: ReadonlyArray<{ storyId: string; article: MatchableArticle }>): void {
    const insertEntry = database.statement('INSERT INTO dedup_entries (story_id, shingles, headline) VALUES (?, ?, ?)');
    const insertPosting = database.statement('INSERT OR IGNORE INTO dedup_postings (shingle, story_id, entry) VALUES (?, ?, ?)');
    for (const { storyId, article } of entries) {
      const shingles = shingleSet(article.paragraphs, SHINGLE_SIZE);
      if (shingles.length === 0) continue;
      const id = Number(insertEntry.run(storyId, new Uint8Array(shingles.buffer, shingles.byteOffset, shingles.byteLength), article.title ?? null).lastInsertRowid);
      for (const key of indexKeys(shingles)) insertPosting.run(key, storyId, id);
    }
  }

  /** Inside the caller's batch when there is one, so the rows commit with the articles. */
  function inBatch(work: () => void): void {
    const batch = database.pendingBatch();
    if (batch !== undefined) {
      batch.alsoInTransaction.push(work);
      return;
    }
    db.exec('BEGIN IMMEDIATE');
    try {
      work();
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }

  return {
    matcher,
    persistent: true,
    ready: () => database.statement("SELECT 1 FROM herald_meta WHERE key = 'dedup-ready'").get() !== undefined,
    beginRun() {
      overlay = createStoryMatcher();
    },
    persist(entries) {
      if (entries.length > 0) inBatch(() => write(entries));
    },
    markReady() {
      inBatch(() => database.statement("INSERT OR IGNORE INTO herald_meta (key, value) VALUES ('dedup-ready', '1')").run());
    },
    clear() {
      inBatch(() => {
        db.exec('DELETE FROM dedup_postings; DELETE FROM dedup_entries');
        capped.clear();
      });
    },
    removeStory(storyId) {
      inBatch(() => {
        const ids = database.statement('SELECT id FROM dedup_entries WHERE story_id = ?').all(storyId) as { id: number }[];
        for (const { id } of ids) database.statement('DELETE FROM dedup_postings WHERE entry = ?').run(id);
        database.statement('DELETE FROM dedup_entries WHERE story_id = ?').run(storyId);
      });
    },
  };
}
