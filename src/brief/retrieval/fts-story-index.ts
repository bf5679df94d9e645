/**
 * The passage index behind /ask, kept in SQLite FTS5: persistent, updated story by story,
 * never rebuilt at start. It ranks as the in-memory minisearch index did: every sentence and
 * every two-sentence window of each article is a passage; the text is folded to stems
 * (text-terms.ts) before FTS5 sees it, so stemming, stop words and accent folding are
 * Herald's own; BM25 over the passages, plus the article's headline-and-entities BM25 (its
 * own small FTS5 table) as a boost; near-equal scores put the newer article first.
 *
 * Layout: `ix_articles` holds each article's sentences once (JSON) with its story, audience
 * and time; a passage's rowid encodes its article, first sentence and length, so the FTS
 * tables are contentless (no text stored twice). The passage table has two columns, one for
 * sentences and one for windows: BM25 treats them as one text, and fts5vocab's per-column
 * counts give the sentence frequency of a stem for idf().
 */
import { randomUUID } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import { isVisibleTo, type Story, type StoredArticle } from '../../news/types.ts';
import { splitSentences } from '../sentences.ts';
import type { IndexCompanion } from '../story-catalog.ts';
import type { IndexedArticle, Passage, SearchOptions, StoryIndex, StoryIndexOptions } from './story-index.ts';
import { createTermCounts, type TermDocumentCounts } from './term-counts.ts';
import { createStemmer, indexTerm, words } from './text-terms.ts';
import { createStatementCache } from '../../store/statement-cache.ts';
import { inTransaction as sqliteTransaction } from '../../store/sqlite-transaction.ts';

/** Passages per article the rowid can address (two per sentence). */
const SLOTS = 4096;
const MAX_SENTENCES = SLOTS / 2;
/** Candidates read from FTS5 before the headline boost and filters pick the best. */
const CANDIDATES = 400;
/** Articles whose headline matches best have all their matching passages considered. */
const HEAD_ARTICLES = 20;
/** Headline postings the headline query may rank (see headMatch). */
const HEAD_POSTINGS = 5_000;
const SCORING_COLUMNS =
  'key, article_id, story_id, title, url, published_at, time, guild_ids, entities, terms, title_length, entities_length';
/** A term in more than this share of passages is left out of candidate generation... */
const COMMON_SHARE = 0.02;
/** ...unless it is among the question's rarest few. */
const MIN_CANDIDATE_TERMS = 2;
/** Passages the candidate query may rank (see candidateMatch). */
const CANDIDATE_POSTINGS = 30_000;

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

interface ArticleRow {
  key: number;
  article_id: string;
  story_id: string;
  title: string;
  url: string | null;
  published_at: string;
  time: number;
  guild_ids: string | null;
  sentences: string;
  entities: string;
  terms: string;
  title_length: number;
  entities_length: number;
}

/** What scoring reads per article, computed once at index time: folded terms and field lengths. */
interface ArticleTerms {
  /** Folded terms of each sentence, space-separated. */
  sentences: string[];
  /** Distinct raw tokens of each passage slot (2 × sentence + 0 sentence, + 1 window). */
  lengths: number[];
  title: string;
  entities: string;
}

interface LoadedArticle {
  key: number;
  time: number;
  article: IndexedArticle;
  terms: ArticleTerms;
  titleLength: number;
  entitiesLength: number;
}

/** The counters BM25 needs, kept in ix_meta in step with the rows. */
type Counter = 'sentences' | 'passages' | 'passage-length' | 'heads' | 'title-length' | 'entities-length';
type RowCounts = {
  key: number;
  sentence_count: number;
  passage_count: number;
  passage_length: number;
  title_length: number;
  entities_length: number;
  terms: string;
};

/** minisearch's BM25+ parameters, so scores rank as they did before the move to FTS5. */
const BM25 = { k: 1.2, b: 0.7, d: 0.5 };

/** Distinct raw tokens: the field length minisearch's BM25+ normalizes by. */
function fieldLength(text: string): number {
  return new Set(words(text)).size;
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

  db.exec(`
    CREATE TABLE IF NOT EXISTS ix_articles (
      key INTEGER PRIMARY KEY, article_id TEXT NOT NULL UNIQUE, story_id TEXT NOT NULL, title TEXT NOT NULL,
      url TEXT, published_at TEXT NOT NULL, time INTEGER NOT NULL, guild_ids TEXT, sentences TEXT NOT NULL,
      sentence_count INTEGER NOT NULL, entities TEXT NOT NULL, passage_count INTEGER NOT NULL, passage_length INTEGER NOT NULL,
      title_length INTEGER NOT NULL, entities_length INTEGER NOT NULL, terms TEXT NOT NULL);
    CREATE INDEX IF NOT EXISTS ix_articles_story ON ix_articles (story_id);
    CREATE VIRTUAL TABLE IF NOT EXISTS ix_passages USING fts5 (sentence, window, content='', contentless_delete=1);
    CREATE VIRTUAL TABLE IF NOT EXISTS ix_heads USING fts5 (title, entities, content='', contentless_delete=1);
    CREATE VIRTUAL TABLE IF NOT EXISTS ix_vocab USING fts5vocab (ix_passages, 'col');
    CREATE VIRTUAL TABLE IF NOT EXISTS ix_head_vocab USING fts5vocab (ix_heads, 'col');
    CREATE TABLE IF NOT EXISTS ix_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  `);
  const sql = createStatementCache(db);
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

  function meta(key: string): string | undefined {
    return (sql('SELECT value FROM ix_meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }
  function setMeta(key: string, value: string): void {
    sql(
      'INSERT INTO ix_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    ).run(key, value);
  }
  const counter = (key: Counter) => Number(meta(key) ?? 0);
  const bump = (key: Counter, delta: number) => setMeta(key, String(counter(key) + delta));
  const sentenceTotal = () => counter('sentences');
  const ROW_COUNTS =
    'key, sentence_count, passage_count, passage_length, title_length, entities_length, terms';

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
    const generation = meta('generation');
    if (generation !== countedGeneration) {
      documentCounts.clear();
      countedGeneration = generation;
    }
  }

  /** Moves the cached counts by one article's passages and headline, added or removed. */
  function countArticle(terms: ArticleTerms, sentenceCount: number, windows: boolean, delta: 1 | -1): void {
    if (documentCounts.isEmpty()) return;
    for (let start = 0; start < sentenceCount; start++) {
      documentCounts.adjust('sentence', terms.sentences[start] ?? '', delta);
      if (windows && start + 1 < sentenceCount)
        documentCounts.adjust(
          'window',
          `${terms.sentences[start] ?? ''} ${terms.sentences[start + 1] ?? ''}`,
          delta,
        );
    }
    documentCounts.adjust('title', terms.title, delta);
    documentCounts.adjust('entities', terms.entities, delta);
  }

  function dropArticleRow(row: RowCounts): void {
    const base = row.key * SLOTS;
    for (let slot = 0; slot < row.sentence_count * 2; slot++)
      sql('DELETE FROM ix_passages WHERE rowid = ?').run(base + slot);
    sql('DELETE FROM ix_heads WHERE rowid = ?').run(row.key);
    sql('DELETE FROM ix_articles WHERE key = ?').run(row.key);
    if (!documentCounts.isEmpty())
      countArticle(
        JSON.parse(row.terms) as ArticleTerms,
        row.sentence_count,
        row.passage_count > row.sentence_count,
        -1,
      );
    bump('sentences', -row.sentence_count);
    bump('passages', -row.passage_count);
    bump('passage-length', -row.passage_length);
    bump('heads', -1);
    bump('title-length', -row.title_length);
    bump('entities-length', -row.entities_length);
  }

  function removeStoryRows(storyId: string): void {
    const rows = sql(`SELECT ${ROW_COUNTS} FROM ix_articles WHERE story_id = ?`).all(storyId) as RowCounts[];
    for (const row of rows) dropArticleRow(row);
  }

  function upsertStoryRows(story: Story, incoming: readonly StoredArticle[]): void {
    removeStoryRows(story.id);
    const entityText = story.entities.join(' ; ');
    const entities = fold(entityText).join(' ');
    for (const source of incoming) {
      // An article belongs to one story: its latest placement wins.
      const placed = sql(`SELECT ${ROW_COUNTS} FROM ix_articles WHERE article_id = ?`).get(source.id) as
        RowCounts | undefined;
      if (placed) dropArticleRow(placed);
      const sentences = source.paragraphs
        .flatMap((paragraph) => splitSentences(paragraph))
        .slice(0, MAX_SENTENCES);
      if (sentences.length === 0) continue;
      const url = source.url ?? story.url ?? null;
      const title = source.title || story.title;
      const publishedAt = source.publishedAt ?? story.publishedAt;
      const passages: { slot: number; text: string; terms: string }[] = [];
      const folded = sentences.map((sentence) => fold(sentence).join(' '));
      for (let start = 0; start < sentences.length; start++) {
        passages.push({ slot: start * 2, text: sentences[start] ?? '', terms: folded[start] ?? '' });
        if (withWindows && start + 1 < sentences.length) {
          passages.push({
            slot: start * 2 + 1,
            text: `${sentences[start] ?? ''} ${sentences[start + 1] ?? ''}`,
            terms: `${folded[start] ?? ''} ${folded[start + 1] ?? ''}`,
          });
        }
      }
      const lengths: number[] = [];
      for (const passage of passages) lengths[passage.slot] = fieldLength(passage.text);
      const passageLength = lengths.reduce((sum, n) => sum + n, 0);
      const terms: ArticleTerms = { sentences: folded, lengths, title: fold(title).join(' '), entities };
      const titleLength = fieldLength(title);
      const entitiesLength = fieldLength(entityText);
      const result = sql(
        `INSERT INTO ix_articles (article_id, story_id, title, url, published_at, time, guild_ids, sentences, sentence_count,
           entities, passage_count, passage_length, title_length, entities_length, terms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        source.id,
        story.id,
        title,
        url,
        publishedAt,
        Date.parse(publishedAt) || 0,
        story.guildIds ? JSON.stringify(story.guildIds) : null,
        JSON.stringify(sentences),
        sentences.length,
        entityText,
        passages.length,
        passageLength,
        titleLength,
        entitiesLength,
        JSON.stringify(terms),
      );
      const key = Number(result.lastInsertRowid);
      sql('INSERT INTO ix_heads (rowid, title, entities) VALUES (?, ?, ?)').run(key, terms.title, entities);
      for (const passage of passages) {
        if (passage.slot % 2 === 0)
          sql('INSERT INTO ix_passages (rowid, sentence, window) VALUES (?, ?, NULL)').run(
            key * SLOTS + passage.slot,
            passage.terms,
          );
        else
          sql('INSERT INTO ix_passages (rowid, sentence, window) VALUES (?, NULL, ?)').run(
            key * SLOTS + passage.slot,
            passage.terms,
          );
      }
      countArticle(terms, sentences.length, withWindows, 1);
      bump('sentences', sentences.length);
      bump('passages', passages.length);
      bump('passage-length', passageLength);
      bump('heads', 1);
      bump('title-length', titleLength);
      bump('entities-length', entitiesLength);
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
      setMeta('generation', countedGeneration);
      return result;
    };
    return db.isTransaction ? write() : sqliteTransaction(db, write);
  }

  function loadArticle(key: number): LoadedArticle | undefined {
    // Scoring reads the folded terms of hundreds of candidates; the sentences themselves are
    // needed only for the few passages returned, so they are read on first use.
    const row = sql(`SELECT ${SCORING_COLUMNS} FROM ix_articles WHERE key = ?`).get(key) as
      Omit<ArticleRow, 'sentences'> | undefined;
    if (row === undefined) return undefined;
    let sentences: string[] | undefined;
    const entry: LoadedArticle = {
      key,
      time: row.time,
      terms: JSON.parse(row.terms) as ArticleTerms,
      titleLength: row.title_length,
      entitiesLength: row.entities_length,
      article: {
        storyId: row.story_id,
        articleId: row.article_id,
        title: row.title,
        publishedAt: row.published_at,
        get sentences() {
          // Gone since it was scored (another process removed it): no text to quote.
          sentences ??= JSON.parse(
            (
              sql('SELECT sentences FROM ix_articles WHERE key = ?').get(key) as
                { sentences: string } | undefined
            )?.sentences ?? '[]',
          ) as string[];
          return sentences;
        },
        ...(row.url !== null ? { url: row.url } : {}),
        ...(row.guild_ids !== null ? { guildIds: JSON.parse(row.guild_ids) as string[] } : {}),
      },
    };
    return entry;
  }

  /**
   * minisearch's scoring, so answers rank as they did: BM25+ per query term over distinct-token
   * field lengths, summed, times the number of distinct query terms matched. Statistics come
   * from FTS5's vocabulary and the counters in ix_meta.
   */
  function bm25Scorer(queryTerms: readonly string[]) {
    const distinct = [...new Set(queryTerms)];
    const passages = Math.max(1, counter('passages'));
    const heads = Math.max(1, counter('heads'));
    const avgPassage = counter('passage-length') / passages || 1;
    const avgTitle = counter('title-length') / heads || 1;
    const avgEntities = counter('entities-length') / heads || 1;
    const idfOf = (df: number, total: number) => Math.log(1 + (total - df + 0.5) / (df + 0.5));
    checkGeneration();
    const counts = new Map(distinct.map((t) => [t, documentCounts.get(t)]));
    const passageDf = new Map(
      distinct.map((t) => [t, (counts.get(t)?.sentence ?? 0) + (counts.get(t)?.window ?? 0)]),
    );
    const passageIdf = new Map(distinct.map((t) => [t, idfOf(passageDf.get(t) ?? 0, passages)]));
    const titleIdf = new Map(distinct.map((t) => [t, idfOf(counts.get(t)?.title ?? 0, heads)]));
    const entityIdf = new Map(distinct.map((t) => [t, idfOf(counts.get(t)?.entities ?? 0, heads)]));
    const termCounts = (folded: readonly string[]) => {
      const counts = new Map<string, number>();
      for (const text of folded) {
        if (text === '') continue;
        for (const term of text.split(' '))
          if (passageIdf.has(term)) counts.set(term, (counts.get(term) ?? 0) + 1);
      }
      return counts;
    };
    /** Sum over the query's terms (repeats count again, as in minisearch) and the distinct terms matched. */
    const field = (
      folded: readonly string[],
      length: number,
      idf: Map<string, number>,
      avg: number,
      boost: number,
      matched: Set<string>,
    ) => {
      const counts = termCounts(folded);
      let score = 0;
      for (const term of queryTerms) {
        const tf = counts.get(term) ?? 0;
        if (tf === 0) continue;
        matched.add(term);
        score +=
          boost *
          (idf.get(term) ?? 0) *
          (BM25.d + (tf * (BM25.k + 1)) / (tf + BM25.k * (1 - BM25.b + (BM25.b * length) / avg)));
      }
      return score;
    };
    return {
      /**
       * The headline query's terms: rarest first, as long as the headlines they match stay
       * within HEAD_POSTINGS (ranking every headline that holds a common word costs the most
       * at scale, and picks near-arbitrary ones among thousands). Undefined: no headline query.
       */
      headMatch(): string | undefined {
        const inHeads = (t: string) => (counts.get(t)?.title ?? 0) + (counts.get(t)?.entities ?? 0);
        const present = distinct.filter((t) => inHeads(t) > 0).sort((a, b) => inHeads(a) - inHeads(b));
        const chosen: string[] = [];
        let postings = 0;
        for (const term of present) {
          postings += inHeads(term);
          if (postings > HEAD_POSTINGS) break;
          chosen.push(term);
        }
        return chosen.length > 0 ? matchExpression(chosen) : undefined;
      },
      /**
       * The candidate query: its terms, and whether FTS5 may rank every passage they match.
       * The rarest term always; the next ones if rare enough (or among the rarest few) and
       * while the passages to rank stay within CANDIDATE_POSTINGS. When even the rarest term is
       * in more passages than that, the newest of them are taken unranked instead (ranking
       * them all costs over 100 ms at 100,000 articles).
       */
      candidateMatch(): { match: string; ranked: boolean } {
        const df = (t: string) => passageDf.get(t) ?? 0;
        const present = distinct.filter((t) => df(t) > 0).sort((a, b) => df(a) - df(b));
        if (present.length === 0) return { match: matchExpression(distinct), ranked: true };
        const chosen: string[] = [];
        let postings = 0;
        for (const [i, term] of present.entries()) {
          if (i > 0 && !(i < MIN_CANDIDATE_TERMS || df(term) <= passages * COMMON_SHARE)) continue;
          if (i > 0 && postings + df(term) > CANDIDATE_POSTINGS) break;
          postings += df(term);
          chosen.push(term);
        }
        return { match: matchExpression(chosen), ranked: postings <= CANDIDATE_POSTINGS };
      },
      passage(entry: LoadedArticle, start: number, count: number): number {
        const matched = new Set<string>();
        const length = entry.terms.lengths[start * 2 + count - 1] ?? 1;
        const score = field(
          entry.terms.sentences.slice(start, start + count),
          length,
          passageIdf,
          avgPassage,
          1,
          matched,
        );
        return score * (matched.size || 1);
      },
      head(entry: LoadedArticle): number {
        const matched = new Set<string>();
        const score =
          field([entry.terms.title], entry.titleLength, titleIdf, avgTitle, 1, matched) +
          field([entry.terms.entities], entry.entitiesLength, entityIdf, avgEntities, entityBoost, matched);
        return matched.size === 0 ? 0 : score * matched.size;
      },
    };
  }

  /** An FTS5 query matching any of the terms, each quoted so no term reads as an operator. */
  function matchExpression(terms: readonly string[]): string {
    return [...new Set(terms)].map((term) => `"${term}"`).join(' OR ');
  }

  function search(query: string, searchOptions: SearchOptions = {}): Passage[] {
    const { storyId, audience, limit = 10, kind = 'all' } = searchOptions;
    const terms = fold(query);
    if (terms.length === 0) return [];
    let storyKeys: Set<number> | undefined;
    if (storyId !== undefined) {
      storyKeys = new Set(
        (sql('SELECT key FROM ix_articles WHERE story_id = ?').all(storyId) as { key: number }[]).map(
          (r) => r.key,
        ),
      );
      if (storyKeys.size === 0) return [];
    }
    const scorer = bm25Scorer(terms);
    // Headlines are matched on every term while that stays cheap: always matching them on the
    // rarer terms only cost 0.1 point of top-3 on the ask bench.
    const candidateMatch = scorer.candidateMatch();
    const headMatch = scorer.headMatch();
    const heads =
      headMatch === undefined
        ? []
        : (sql('SELECT rowid AS key FROM ix_heads WHERE ix_heads MATCH ? ORDER BY rank LIMIT ?').all(
            headMatch,
            HEAD_ARTICLES,
          ) as { key: number }[]);
    /**
     * The articles this question has read. Nothing is kept across questions: at 100,000
     * articles a cache of a few thousand hardly ever hit, and the parsed articles it let age
     * into V8's old space grew the heap by ~2 MB a question between collections (resident
     * memory 345 MB against 177 MB without it, search alone); SQLite's page cache serves repeats.
     */
    const loaded = new Map<number, LoadedArticle | undefined>();
    const load = (key: number) => {
      if (!loaded.has(key)) loaded.set(key, loadArticle(key));
      return loaded.get(key);
    };
    const candidates = new Set<number>();
    /** Every passage slot of an article (its terms are at hand: no FTS query per article). */
    const allSlots = (key: number) => {
      const entry = load(key);
      const sentences = entry?.terms.sentences.length ?? 0;
      for (let slot = 0; slot < sentences * 2; slot++) {
        if (slot % 2 === 1 && (!withWindows || Math.floor(slot / 2) + 1 >= sentences)) continue;
        candidates.add(key * SLOTS + slot);
      }
    };
    if (storyKeys !== undefined) {
      for (const key of storyKeys) allSlots(key);
    } else {
      // Candidates come from the rarer terms: a passage holding only the commonest words of the
      // question cannot outrank one holding a rare one, and matching them costs the most.
      const order = candidateMatch.ranked ? 'rank' : 'rowid DESC';
      const rows = sql(
        `SELECT rowid AS id FROM ix_passages WHERE ix_passages MATCH ? ORDER BY ${order} LIMIT ?`,
      ).all(candidateMatch.match, Math.max(CANDIDATES, limit * 20)) as { id: number }[];
      for (const row of rows) candidates.add(row.id);
      // A question naming a story's subject: that article's passages compete even when their
      // own BM25 alone would not make the cut.
      for (const { key } of heads) allSlots(key);
    }
    interface Hit {
      entry: LoadedArticle;
      start: number;
      count: number;
      score: number;
    }
    const before = (a: Hit, b: Hit): boolean => {
      const gap = a.score - b.score;
      if (Math.abs(gap) <= tieEpsilon * Math.max(a.score, b.score)) return a.entry.time > b.entry.time;
      return gap > 0;
    };
    const hits: Hit[] = [];
    const headScores = new Map<number, number>();
    for (const id of candidates) {
      const key = Math.floor(id / SLOTS);
      const slot = id % SLOTS;
      const count = (slot % 2) + 1;
      if (kind === 'sentence' && count !== 1) continue;
      if (kind === 'window' && count === 1) continue;
      const entry = load(key);
      if (entry === undefined) continue;
      if (audience !== undefined && !isVisibleTo(entry.article, audience)) continue;
      const start = Math.floor(slot / 2);
      let head = headScores.get(key);
      if (head === undefined) {
        head = scorer.head(entry);
        headScores.set(key, head);
      }
      const own = scorer.passage(entry, start, count);
      if (own === 0) continue;
      hits.push({ entry, start, count, score: own + headBoost * head });
    }
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
    return Math.log(1 + (sentenceTotal() + 1) / (documentCounts.get(term).sentence + 0.5));
  }

  return {
    upsertStory: (story, articles) => inTransaction(() => upsertStoryRows(story, articles)),
    removeStory: (storyId) => inTransaction(() => removeStoryRows(storyId)),
    hasStory: (storyId) =>
      sql('SELECT 1 FROM ix_articles WHERE story_id = ? LIMIT 1').get(storyId) !== undefined,
    search,
    article(articleId) {
      const row = sql('SELECT key FROM ix_articles WHERE article_id = ?').get(articleId) as
        { key: number } | undefined;
      return row === undefined ? undefined : loadArticle(row.key)?.article;
    },
    idf,
    stem,
    size() {
      const row = sql(
        'SELECT COALESCE(SUM(sentence_count * 2 - 1), 0) AS n, COUNT(*) AS articles FROM ix_articles',
      ).get() as { n: number; articles: number };
      return withWindows ? row.n : sentenceTotal();
    },
    storyCount: () => (sql('SELECT COUNT(DISTINCT story_id) AS n FROM ix_articles').get() as { n: number }).n,
    cursor: () => meta('cursor'),
    apply(changes, expected, cursor) {
      return inTransaction(() => {
        // Another process sharing the file caught up first: its work stands, ours is redone.
        if (meta('cursor') !== expected) return false;
        for (const change of changes) {
          if (change.story === undefined) removeStoryRows(change.storyId);
          else upsertStoryRows(change.story, change.articles ?? []);
          companion?.apply(change.storyId, change.story);
        }
        setMeta('cursor', cursor);
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
