/**
 * The passage index behind /ask, kept in SQLite FTS5: persistent, updated story by story,
 * never rebuilt at start. Every sentence and every two-sentence window of each article is a
 * passage; the text is folded to stems (text-terms.ts) before FTS5 sees it, so stemming, stop
 * words and accent folding are Herald's own. Passages rank by BM25+ (fts-bm25.ts) plus their
 * article's headline-and-entities score as a boost; near-equal scores put the newer article
 * first. The tables are in fts-tables.ts, their rows in fts-article-rows.ts, and which terms
 * the FTS5 queries use in fts-query-plan.ts.
 */
import { randomUUID } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import { isVisibleTo, type Story, type StoredArticle } from '../../news/types.ts';
import { createStatementCache } from '../../store/statement-cache.ts';
import { inTransaction as sqliteTransaction } from '../../store/sqlite-transaction.ts';
import type { IndexCompanion } from '../story-catalog.ts';
import { createArticleRows, type LoadedArticle } from './fts-article-rows.ts';
import { createBm25Scorer, type Bm25Scorer } from './fts-bm25.ts';
import { planCandidateQuery, planHeadQuery } from './fts-query-plan.ts';
import {
  createFtsTables,
  createIndexMeta,
  passageOfRowid,
  passageRowid,
  passageSlots,
} from './fts-tables.ts';
import type { Passage, SearchOptions, StoryIndex, StoryIndexOptions } from './story-index.ts';
import { createTermCounts, type TermDocumentCounts } from './term-counts.ts';
import { createStemmer, indexTerm, words } from './text-terms.ts';

/** Candidates read from FTS5 before the headline boost and filters pick the best. */
const CANDIDATES = 400;
/** Articles whose headline matches best have all their matching passages considered. */
const HEAD_ARTICLES = 20;

/** The FTS5 answer index, with the cursor of the change log it has caught up to. */
export interface PersistentStoryIndex extends StoryIndex {
  /** The change-log cursor the index reflects (undefined: never synced). */
  cursor(): string | undefined;
  /**
   * Applies the stories' current versions (undefined: deleted) and moves the cursor, in one
   * transaction, unless another process moved the cursor from `expected` first (then false).
   */
  apply(
    changes: ReadonlyArray<{ storyId: string; story?: Story; articles?: readonly StoredArticle[] }>,
    expected: string | undefined,
    cursor: string,
  ): boolean;
  /** Drops every passage (before a rebuild from the store). */
  clear(): void;
}

/** A passage scored for a question. */
interface Hit {
  entry: LoadedArticle;
  start: number;
  count: number;
  score: number;
}

/**
 * `companion`: rows kept in step with the index in its own transactions and cursor (the story
 * catalog), so they can never drift apart after a crash.
 */
export function createFtsStoryIndex(
  db: DatabaseSync,
  options: StoryIndexOptions = {},
  companion?: IndexCompanion,
): PersistentStoryIndex {
  const stem = createStemmer();
  const tieEpsilon = options.tieEpsilon ?? 1e-6;
  const headBoost = options.headBoost ?? 1;
  const entityBoost = options.entityBoost ?? 1;
  const withWindows = options.windows ?? true;

  createFtsTables(db);
  const sql = createStatementCache(db);
  const meta = createIndexMeta(sql);
  const documentCounts = createTermCounts(readTermCounts);
  /** The generation token the cached counts reflect: any write, by any process, changes it. */
  let countedGeneration: string | undefined;

  const fold = (text: string): string[] => {
    const terms: string[] = [];
    for (const token of words(text)) {
      const term = indexTerm(token, stem);
      if (term !== null) terms.push(term);
    }
    return terms;
  };
  const rows = createArticleRows({ sql, meta, counts: documentCounts, fold, windows: withWindows });

  function readTermCounts(term: string): TermDocumentCounts {
    const counts: TermDocumentCounts = { sentence: 0, window: 0, title: 0, entities: 0 };
    for (const table of ['ix_vocab', 'ix_head_vocab']) {
      for (const row of sql(`SELECT col, doc FROM ${table} WHERE term = ?`).all(term) as {
        col: keyof TermDocumentCounts;
        doc: number;
      }[])
        counts[row.col] = row.doc;
    }
    return counts;
  }

  /** Empties the cached counts when the index was written since they were read (by another process too). */
  function checkGeneration(): void {
    const generation = meta.get('generation');
    if (generation !== countedGeneration) {
      documentCounts.clear();
      countedGeneration = generation;
    }
  }

  /**
   * Runs a write in a transaction (the caller's, if one is open) and gives the index a new
   * generation token. The cached term counts follow this process's own writes; if the write is
   * rolled back, the token stored is not the one remembered, so the next read starts over.
   */
  function inTransaction<T>(work: () => T): T {
    const write = () => {
      checkGeneration();
      const result = work();
      countedGeneration = randomUUID();
      meta.set('generation', countedGeneration);
      return result;
    };
    return db.isTransaction ? write() : sqliteTransaction(db, write);
  }

  function scorerFor(terms: readonly string[]): Bm25Scorer {
    checkGeneration();
    return createBm25Scorer({
      queryTerms: terms,
      stats: {
        passages: meta.counter('passages'),
        heads: meta.counter('heads'),
        passageLength: meta.counter('passage-length'),
        titleLength: meta.counter('title-length'),
        entitiesLength: meta.counter('entities-length'),
      },
      counts: (term) => documentCounts.get(term),
      entityBoost,
    });
  }

  /** The passages worth scoring: a story's all, or the FTS5 candidates plus the best headlines' articles. */
  function candidatesFor(
    terms: readonly string[],
    scorer: Bm25Scorer,
    storyKeys: readonly number[] | undefined,
    limit: number,
    load: (key: number) => LoadedArticle | undefined,
  ): Set<number> {
    const candidates = new Set<number>();
    /** Every passage of an article (its terms are at hand: no FTS query per article). */
    const allPassages = (key: number) => {
      const sentences = load(key)?.terms.sentences.length ?? 0;
      for (const { slot } of passageSlots(sentences, withWindows)) candidates.add(passageRowid(key, slot));
    };
    if (storyKeys !== undefined) {
      for (const key of storyKeys) allPassages(key);
      return candidates;
    }
    const candidateQuery = planCandidateQuery(
      terms,
      scorer.passagesWith,
      Math.max(1, meta.counter('passages')),
    );
    const order = candidateQuery.ranked ? 'rank' : 'rowid DESC';
    const matches = sql(
      `SELECT rowid AS id FROM ix_passages WHERE ix_passages MATCH ? ORDER BY ${order} LIMIT ?`,
    ).all(candidateQuery.match, Math.max(CANDIDATES, limit * 20)) as { id: number }[];
    for (const { id } of matches) candidates.add(id);
    // A question naming a story's subject: that article's passages compete even when their own
    // BM25 alone would not make the cut.
    const headQuery = planHeadQuery(terms, scorer.headlinesWith);
    if (headQuery !== undefined) {
      const heads = sql('SELECT rowid AS key FROM ix_heads WHERE ix_heads MATCH ? ORDER BY rank LIMIT ?').all(
        headQuery,
        HEAD_ARTICLES,
      ) as { key: number }[];
      for (const { key } of heads) allPassages(key);
    }
    return candidates;
  }

  function search(query: string, searchOptions: SearchOptions = {}): Passage[] {
    const { storyId, audience, limit = 10, kind = 'all' } = searchOptions;
    const terms = fold(query);
    if (terms.length === 0) return [];
    const storyKeys = storyId === undefined ? undefined : rows.keysOfStory(storyId);
    if (storyKeys?.length === 0) return [];
    const scorer = scorerFor(terms);
    /**
     * The articles this question has read. Nothing is kept across questions: at 100,000
     * articles a cache of a few thousand hardly ever hit, and the parsed articles it let age
     * into V8's old space grew the heap by ~2 MB a question between collections (resident
     * memory 345 MB against 177 MB without it, search alone); SQLite's page cache serves repeats.
     */
    const loaded = new Map<number, LoadedArticle | undefined>();
    const load = (key: number) => {
      if (!loaded.has(key)) loaded.set(key, rows.load(key));
      return loaded.get(key);
    };
    const hits: Hit[] = [];
    const headScores = new Map<number, number>();
    for (const rowid of candidatesFor(terms, scorer, storyKeys, limit, load)) {
      const { articleKey, start, count } = passageOfRowid(rowid);
      if (kind === 'sentence' && count !== 1) continue;
      if (kind === 'window' && count === 1) continue;
      const entry = load(articleKey);
      if (entry === undefined) continue;
      if (audience !== undefined && !isVisibleTo(entry.article, audience)) continue;
      let head = headScores.get(articleKey);
      if (head === undefined) {
        head = scorer.head(
          { folded: [entry.terms.title], length: entry.titleLength },
          { folded: [entry.terms.entities], length: entry.entitiesLength },
        );
        headScores.set(articleKey, head);
      }
      const own = scorer.passage({
        folded: entry.terms.sentences.slice(start, start + count),
        length: entry.terms.lengths[start * 2 + count - 1] ?? 1,
      });
      if (own === 0) continue;
      hits.push({ entry, start, count, score: own + headBoost * head });
    }
    const before = (a: Hit, b: Hit): boolean => {
      const gap = a.score - b.score;
      if (Math.abs(gap) <= tieEpsilon * Math.max(a.score, b.score)) return a.entry.time > b.entry.time;
      return gap > 0;
    };
    hits.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
    return hits.slice(0, limit).map(({ entry, start, count, score }) => {
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
    });
  }

  function idf(term: string): number {
    checkGeneration();
    return Math.log(1 + (meta.counter('sentences') + 1) / (documentCounts.get(term).sentence + 0.5));
  }

  return {
    upsertStory: (story, articles) => inTransaction(() => rows.upsertStory(story, articles)),
    removeStory: (storyId) => inTransaction(() => rows.removeStory(storyId)),
    hasStory: (storyId) =>
      sql('SELECT 1 FROM ix_articles WHERE story_id = ? LIMIT 1').get(storyId) !== undefined,
    search,
    article(articleId) {
      const key = rows.keyOf(articleId);
      return key === undefined ? undefined : rows.load(key)?.article;
    },
    idf,
    stem,
    size() {
      const row = sql('SELECT COALESCE(SUM(sentence_count * 2 - 1), 0) AS n FROM ix_articles').get() as {
        n: number;
      };
      return withWindows ? row.n : meta.counter('sentences');
    },
    storyCount: () => (sql('SELECT COUNT(DISTINCT story_id) AS n FROM ix_articles').get() as { n: number }).n,
    cursor: () => meta.get('cursor'),
    apply(changes, expected, cursor) {
      return inTransaction(() => {
        // Another process sharing the file caught up first: its work stands, ours is redone.
        if (meta.get('cursor') !== expected) return false;
        for (const change of changes) {
          if (change.story === undefined) rows.removeStory(change.storyId);
          else rows.upsertStory(change.story, change.articles ?? []);
          companion?.apply(change.storyId, change.story);
        }
        meta.set('cursor', cursor);
        return true;
      });
    },
    clear() {
      inTransaction(() => {
        // Every counter goes with the rows (kept, they would count the rebuilt rows twice).
        db.exec('DELETE FROM ix_articles; DELETE FROM ix_meta;');
        db.exec(
          "INSERT INTO ix_passages (ix_passages) VALUES ('delete-all'); INSERT INTO ix_heads (ix_heads) VALUES ('delete-all');",
        );
        documentCounts.clear();
        companion?.clear();
      });
    },
  };
}

/** An index in memory only (tests, tools): the same code on a private in-memory database. */
export function createMemoryStoryIndex(options: StoryIndexOptions = {}): PersistentStoryIndex {
  return createFtsStoryIndex(new DatabaseSync(':memory:'), options);
}
