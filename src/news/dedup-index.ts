import type { SqliteDatabase } from '../store/sqlite-database.ts';
import { createPostingLists, storedShingles } from './dedup-postings.ts';
import {
  containment,
  createStoryMatcher,
  headlinesMayAgree,
  headlineWords,
  indexKeys,
  MAX_CANDIDATES,
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

  type EntryRow = { id: number; story_id: string; shingles: Uint8Array; headline: string | null };
  type Query = { article: MatchableArticle; shingles: Uint32Array; keys: number[]; headline: Set<string> | undefined };

  /** Lists of these keys, full ones remembered as such (and dropped from the answer). */
  function readLists(keys: readonly number[]): Map<number, Iterable<number>> {
    const lists = postings.read(keys);
    for (const [key, entries] of lists) {
      if (entries !== 'full') continue;
      lists.delete(key);
      if (full.size < 1_000_000) full.add(key);
    }
    return lists as Map<number, Iterable<number>>;
  }

  /** The entries sharing most keys with the article (story-merge.ts's vote), most votes first. */
  function candidatesOf(keys: readonly number[], lists: ReadonlyMap<number, Iterable<number>>): number[] {
    const votes = new Map<number, number>();
    for (const key of keys) {
      const entries = lists.get(key);
      if (entries !== undefined) for (const entry of entries) votes.set(entry, (votes.get(entry) ?? 0) + 1);
    }
    return [...votes.entries()]
      .sort((x, y) => y[1] - x[1])
      .slice(0, MAX_CANDIDATES)
      .map(([id]) => id);
  }

  /** Candidates' entries in one statement (a call per candidate cost more than the reads). */
  function readEntries(ids: readonly number[]): EntryRow[] {
    return database
      .statement('SELECT e.id AS id, e.story_id AS story_id, e.shingles AS shingles, e.headline AS headline FROM json_each(?) AS k JOIN dedup_entries AS e ON e.id = k.value')
      .all(JSON.stringify(ids)) as EntryRow[];
  }

  /** The containment of a stored entry in the article when it is enough to merge them, else undefined. */
  function similarityTo(query: Query, row: EntryRow): number | undefined {
    const stored = storedShingles(row.shingles);
    if (stored.length < MIN_SHINGLES) return undefined;
    const similarity = containment(query.shingles, stored);
    if (similarity < THRESHOLD) return undefined;
    const shortEvidence = Math.min(query.shingles.length, stored.length) < SHORT_EVIDENCE_SHINGLES;
    if (shortEvidence && !headlinesMayAgree(query.headline, headlineWords(row.headline ?? undefined))) return undefined;
    return similarity;
  }

  const queryOf = (article: MatchableArticle, shingles: Uint32Array): Query => ({
    article,
    shingles,
    keys: keysOf(shingles).filter((key) => !full.has(key)),
    headline: headlineWords(article.title),
  });

  /** The best candidate: highest similarity, the earlier candidate (more votes) on a tie. */
  function storedMatch(query: Query): StoryMatch | undefined {
    const candidates = candidatesOf(query.keys, readLists(query.keys));
    const rows = new Map(readEntries(candidates).map((row) => [row.id, row]));
    let best: StoryMatch | undefined;
    for (const id of candidates) {
      const row = rows.get(id);
      const similarity = row && similarityTo(query, row);
      if (row && similarity !== undefined && (best === undefined || similarity > best.similarity)) best = { storyId: row.story_id, similarity };
    }
    return best;
  }

  /**
   * Stored matches looked up ahead (lookAhead), null for none. Looked up article by article,
   * each of a feed's articles read its fifty-odd lists and thirty-odd candidate entries in
   * statements of its own. Ahead, a group's keys are read in one statement in key order; then
   * every candidate of the whole plan is read once (articles of one feed share many: a third
   * as many rows as reading them per article), in id order, a bounded number of rows at a
   * time, and judged for each article that has it as a candidate. The best is then chosen as
   * storedMatch chooses it: highest similarity, on a tie the candidate ranked first.
   */
  let ahead = new WeakMap<MatchableArticle, StoryMatch | null>();
  const LOOK_AHEAD_GROUP = 64;
  const ROWS_AT_ONCE = 1024;
  function lookAhead(articles: readonly MatchableArticle[]): void {
    ahead = new WeakMap();
    const queries: Query[] = [];
    for (const article of articles) {
      const shingles = shinglesOf(article);
      if (shingles.length >= MIN_SHINGLES) queries.push(queryOf(article, shingles));
    }
    /** For each candidate entry: the articles it is a candidate of, and its rank there. */
    const wantedBy = new Map<number, { query: number; rank: number }[]>();
    for (let start = 0; start < queries.length; start += LOOK_AHEAD_GROUP) {
      const group = queries.slice(start, start + LOOK_AHEAD_GROUP);
      const lists = readLists([...new Set(group.flatMap((query) => query.keys))].sort((a, b) => a - b));
      group.forEach((query, i) => {
        candidatesOf(query.keys, lists).forEach((id, rank) => {
          const wanted = wantedBy.get(id);
          if (wanted === undefined) wantedBy.set(id, [{ query: start + i, rank }]);
          else wanted.push({ query: start + i, rank });
        });
      });
    }
    const best: ({ storyId: string; similarity: number; rank: number } | undefined)[] = [];
    const ids = [...wantedBy.keys()].sort((a, b) => a - b);
    for (let start = 0; start < ids.length; start += ROWS_AT_ONCE) {
      for (const row of readEntries(ids.slice(start, start + ROWS_AT_ONCE))) {
        for (const { query, rank } of wantedBy.get(row.id) ?? []) {
          const q = queries[query];
          const similarity = q && similarityTo(q, row);
          if (similarity === undefined) continue;
          const current = best[query];
          if (current === undefined || similarity > current.similarity || (similarity === current.similarity && rank < current.rank)) {
            best[query] = { storyId: row.story_id, similarity, rank };
          }
        }
      }
    }
    queries.forEach((query, i) => {
      const found = best[i];
      ahead.set(query.article, found ? { storyId: found.storyId, similarity: found.similarity } : null);
    });
  }

  const matcher: StoryMatcher = {
    get size() {
      return (database.statement('SELECT COUNT(*) AS n FROM dedup_entries').get() as { n: number }).n + overlay.size;
    },
    add(storyId, article) {
      overlay.add(storyId, article);
    },
    lookAhead,
    findMatch(article) {
      const shingles = shinglesOf(article);
      if (shingles.length < MIN_SHINGLES) return undefined;
      const looked = ahead.get(article);
      const stored = looked === undefined ? storedMatch(queryOf(article, shingles)) : (looked ?? undefined);
      const recent = overlay.findMatch(article);
      if (stored === undefined) return recent;
      return recent !== undefined && recent.similarity > stored.similarity ? recent : stored;
    },
  };

  function write(entries: ReadonlyArray<{ storyId: string; article: MatchableArticle }>): void {
    const insertEntry = database.statement('INSERT INTO dedup_entries (story_id, shingles, headline) VALUES (?, ?, ?)');
    const posted: { storyId: string; entry: number; keys: number[] }[] = [];
    for (const { storyId, article } of entries) {
      const shingles = shinglesOf(article);
      if (shingles.length === 0) continue;
      const id = Number(insertEntry.run(storyId, new Uint8Array(shingles.buffer, shingles.byteOffset, shingles.byteLength), article.title ?? null).lastInsertRowid);
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
    ready: () => database.statement("SELECT 1 FROM herald_meta WHERE key = 'dedup-ready'").get() !== undefined,
    beginRun() {
      overlay = newOverlay();
      ahead = new WeakMap();
    },
    persist(entries) {
      // What was looked up ahead was the store before these entries.
      ahead = new WeakMap();
      if (entries.length > 0) inBatch(() => write(entries));
    },
    markReady() {
      inBatch(() => database.statement("INSERT OR IGNORE INTO herald_meta (key, value) VALUES ('dedup-ready', '1')").run());
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
