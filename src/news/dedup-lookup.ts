import type { SqliteDatabase } from '../store/sqlite-database.ts';
import { storedShingles, type PostingLists } from './dedup-postings.ts';
import {
  containment,
  headlinesMayAgree,
  headlineWords,
  MAX_CANDIDATES,
  paragraphShingleSets,
  sharesOnlyStockText,
  SHORT_EVIDENCE_SHINGLES,
  type MatchableArticle,
  type StoryMatch,
} from './story-merge.ts';

/** story-merge.ts's defaults, which the persistent index applies too. */
export const MIN_SHINGLES = 6;
const THRESHOLD = 0.5;

/**
 * Finding an article's best match among the entries stored in the SQLite file, by the
 * in-memory matcher's rule (story-merge.ts): candidates voted by the posting lists of the
 * article's keys, the best-voted compared exactly. One article at a time, or a whole plan's
 * articles looked up ahead in bulk.
 */
export interface StoredMatchLookup {
  /** The article's best stored match: looked up ahead if lookAhead was told of it, else now. */
  find(article: MatchableArticle, shingles: Uint32Array): StoryMatch | undefined;
  /** Looks up these articles' stored matches in bulk, for the finds that follow. */
  lookAhead(articles: readonly MatchableArticle[]): void;
  /** Drops what was looked up ahead: the store has changed since. */
  forget(): void;
}

export function createStoredMatchLookup(deps: {
  database: SqliteDatabase;
  postings: PostingLists;
  shinglesOf: (article: MatchableArticle) => Uint32Array;
  keysOf: (shingles: Uint32Array) => number[];
  /** Keys whose list is known to be full, shared with the writer (never read, never written). */
  full: Set<number>;
}): StoredMatchLookup {
  const { database, postings, shinglesOf, keysOf, full } = deps;

  type EntryRow = { id: number; story_id: string; shingles: Uint8Array; headline: string | null };
  type Query = {
    article: MatchableArticle;
    shingles: Uint32Array;
    keys: number[];
    headline: Set<string> | undefined;
    /** The article's paragraph sets, made when a candidate first needs them. */
    paragraphs?: Uint32Array[];
  };

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
      .statement(
        'SELECT e.id AS id, e.story_id AS story_id, e.shingles AS shingles, e.headline AS headline FROM json_each(?) AS k JOIN dedup_entries AS e ON e.id = k.value',
      )
      .all(JSON.stringify(ids)) as EntryRow[];
  }

  /** The containment of a stored entry in the article when it is enough to merge them, else undefined. */
  function similarityTo(query: Query, row: EntryRow): number | undefined {
    const stored = storedShingles(row.shingles);
    if (stored.length < MIN_SHINGLES) return undefined;
    const similarity = containment(query.shingles, stored);
    if (similarity < THRESHOLD) return undefined;
    const shortEvidence = Math.min(query.shingles.length, stored.length) < SHORT_EVIDENCE_SHINGLES;
    if (shortEvidence && !headlinesMayAgree(query.headline, headlineWords(row.headline ?? undefined)))
      return undefined;
    const paragraphs = (): Uint32Array[] =>
      (query.paragraphs ??= paragraphShingleSets(query.article.paragraphs));
    if (sharesOnlyStockText(paragraphs, query.shingles, stored, similarity)) return undefined;
    return similarity;
  }

  const queryOf = (article: MatchableArticle, shingles: Uint32Array): Query => ({
    article,
    shingles,
    keys: keysOf(shingles).filter((key) => !full.has(key)),
    headline: headlineWords(article.title),
  });

  const LOOK_AHEAD_GROUP = 64;
  const ROWS_AT_ONCE = 1024;

  /**
   * The best stored match of each query, undefined for none: highest similarity, on a tie the
   * candidate ranked first (more votes). Looked up article by article, each of a feed's
   * articles read its fifty-odd lists and thirty-odd candidate entries in statements of its
   * own. Here a group's keys are read in one statement in key order; then every candidate of
   * the queries is read once (articles of one feed share many: a quarter as many rows as
   * reading them per article), in id order, a bounded number of rows at a time, and judged
   * for each query that has it as a candidate.
   */
  function bestMatches(queries: readonly Query[]): (StoryMatch | undefined)[] {
    /** For each candidate entry: the queries it is a candidate of, and its rank there. */
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
          if (
            current === undefined ||
            similarity > current.similarity ||
            (similarity === current.similarity && rank < current.rank)
          ) {
            best[query] = { storyId: row.story_id, similarity, rank };
          }
        }
      }
    }
    return queries.map((_, i) => {
      const found = best[i];
      return found ? { storyId: found.storyId, similarity: found.similarity } : undefined;
    });
  }

  /**
   * Stored matches looked up ahead (lookAhead), null for none. A plan is looked up a window
   * at a time, as its articles are matched in order, so a folder of 100,000 files does not
   * hold 100,000 articles' candidates at once.
   */
  let ahead = new WeakMap<MatchableArticle, StoryMatch | null>();
  let planned: readonly MatchableArticle[] = [];
  let nextWindow = 0;
  const WINDOW = 500;

  function lookAheadWindow(): void {
    const articles = planned.slice(nextWindow, nextWindow + WINDOW);
    nextWindow += WINDOW;
    ahead = new WeakMap();
    const queries: Query[] = [];
    for (const article of articles) {
      const shingles = shinglesOf(article);
      if (shingles.length >= MIN_SHINGLES) queries.push(queryOf(article, shingles));
    }
    bestMatches(queries).forEach((found, i) => {
      const query = queries[i];
      if (query) ahead.set(query.article, found ?? null);
    });
  }

  function forget(): void {
    ahead = new WeakMap();
    planned = [];
    nextWindow = 0;
  }

  return {
    find(article, shingles) {
      let looked = ahead.get(article);
      // The plan's articles come in order: the next window holds this one (an article not in
      // the plan runs through the rest of it and is then looked up alone).
      while (looked === undefined && nextWindow < planned.length) {
        lookAheadWindow();
        looked = ahead.get(article);
      }
      return looked === undefined ? bestMatches([queryOf(article, shingles)])[0] : (looked ?? undefined);
    },
    lookAhead(articles) {
      forget();
      planned = articles;
    },
    forget,
  };
}
