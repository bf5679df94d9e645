/**
 * The answer index's rows, written and read: an article's sentences, passages and headline go
 * in together, with the counters BM25 needs and the cached term counts moved by exactly what
 * was added or removed. Callers run writes in a transaction (fts-story-index.ts).
 */
import type { Story, StoredArticle } from '../../news/types.ts';
import { paragraphSentences } from '../sentences.ts';
import type { IndexedArticle } from './story-index.ts';
import type { TermCounts } from './term-counts.ts';
import { words } from './text-terms.ts';
import {
  MAX_SENTENCES,
  passageRowid,
  passageSlots,
  type ArticleTerms,
  type IndexMeta,
  type Statements,
} from './fts-tables.ts';

/** An article as scoring reads it; its sentences are read only when a passage is quoted. */
export interface LoadedArticle {
  key: number;
  time: number;
  article: IndexedArticle;
  terms: ArticleTerms;
  titleLength: number;
  entitiesLength: number;
}

export interface ArticleRows {
  /** Replaces the story's articles with `articles` (an article moved from another story leaves it). */
  upsertStory(story: Story, articles: readonly StoredArticle[]): void;
  removeStory(storyId: string): void;
  /** Undefined once the article is gone (another process may have removed it). */
  load(key: number): LoadedArticle | undefined;
  keyOf(articleId: string): number | undefined;
  keysOfStory(storyId: string): number[];
}

// Type aliases, not interfaces: node:sqlite rows are records, which only aliases accept.
type RowCounts = {
  key: number;
  sentence_count: number;
  passage_count: number;
  passage_length: number;
  title_length: number;
  entities_length: number;
  terms: string;
};
const ROW_COUNTS = 'key, sentence_count, passage_count, passage_length, title_length, entities_length, terms';

type ScoringRow = {
  key: number;
  article_id: string;
  story_id: string;
  title: string;
  url: string | null;
  published_at: string;
  time: number;
  guild_ids: string | null;
  entities: string;
  terms: string;
  title_length: number;
  entities_length: number;
};
const SCORING_COLUMNS =
  'key, article_id, story_id, title, url, published_at, time, guild_ids, entities, terms, title_length, entities_length';

/** Distinct raw tokens: the field length minisearch's BM25+ normalizes by. */
function fieldLength(text: string): number {
  return new Set(words(text)).size;
}

/** Moves the cached term counts by one article's passages and headline, added (+1) or removed (-1). */
export function countArticle(counts: TermCounts, terms: ArticleTerms, windows: boolean, delta: 1 | -1): void {
  if (counts.isEmpty()) return;
  const sentences = terms.sentences;
  for (const { start, count } of passageSlots(sentences.length, windows)) {
    const text = count === 1 ? sentences[start] : `${sentences[start] ?? ''} ${sentences[start + 1] ?? ''}`;
    counts.adjust(count === 1 ? 'sentence' : 'window', text ?? '', delta);
  }
  counts.adjust('title', terms.title, delta);
  counts.adjust('entities', terms.entities, delta);
}

export function createArticleRows(options: {
  sql: Statements;
  meta: IndexMeta;
  counts: TermCounts;
  /** Folds text to index terms (stems, no stop words). */
  fold: (text: string) => string[];
  /** Whether two-sentence windows are indexed besides sentences. */
  windows: boolean;
}): ArticleRows {
  const { sql, meta, counts, fold, windows } = options;

  function dropArticle(row: RowCounts): void {
    for (let slot = 0; slot < row.sentence_count * 2; slot++)
      sql('DELETE FROM ix_passages WHERE rowid = ?').run(passageRowid(row.key, slot));
    sql('DELETE FROM ix_heads WHERE rowid = ?').run(row.key);
    sql('DELETE FROM ix_articles WHERE key = ?').run(row.key);
    // Parsing the terms is only worth it when counts are cached.
    if (!counts.isEmpty())
      countArticle(counts, JSON.parse(row.terms) as ArticleTerms, row.passage_count > row.sentence_count, -1);
    meta.bump('sentences', -row.sentence_count);
    meta.bump('passages', -row.passage_count);
    meta.bump('passage-length', -row.passage_length);
    meta.bump('heads', -1);
    meta.bump('title-length', -row.title_length);
    meta.bump('entities-length', -row.entities_length);
  }

  function removeStory(storyId: string): void {
    const rows = sql(`SELECT ${ROW_COUNTS} FROM ix_articles WHERE story_id = ?`).all(storyId) as RowCounts[];
    for (const row of rows) dropArticle(row);
  }

  function insertArticle(story: Story, source: StoredArticle, entityText: string, entities: string): void {
    const sentences = source.paragraphs
      .flatMap((paragraph) => paragraphSentences(paragraph))
      .slice(0, MAX_SENTENCES);
    if (sentences.length === 0) return;
    const title = source.title || story.title;
    const publishedAt = source.publishedAt ?? story.publishedAt;
    const folded = sentences.map((sentence) => fold(sentence).join(' '));
    const slots = passageSlots(sentences.length, windows);
    const lengths: number[] = [];
    for (const { slot, start, count } of slots)
      lengths[slot] = fieldLength(sentences.slice(start, start + count).join(' '));
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
      source.url ?? story.url ?? null,
      publishedAt,
      Date.parse(publishedAt) || 0,
      story.guildIds ? JSON.stringify(story.guildIds) : null,
      JSON.stringify(sentences),
      sentences.length,
      entityText,
      slots.length,
      passageLength,
      titleLength,
      entitiesLength,
      JSON.stringify(terms),
    );
    const key = Number(result.lastInsertRowid);
    sql('INSERT INTO ix_heads (rowid, title, entities) VALUES (?, ?, ?)').run(key, terms.title, entities);
    for (const { slot, start, count } of slots) {
      const text = folded.slice(start, start + count).join(' ');
      if (count === 1)
        sql('INSERT INTO ix_passages (rowid, sentence, window) VALUES (?, ?, NULL)').run(
          passageRowid(key, slot),
          text,
        );
      else
        sql('INSERT INTO ix_passages (rowid, sentence, window) VALUES (?, NULL, ?)').run(
          passageRowid(key, slot),
          text,
        );
    }
    countArticle(counts, terms, windows, 1);
    meta.bump('sentences', sentences.length);
    meta.bump('passages', slots.length);
    meta.bump('passage-length', passageLength);
    meta.bump('heads', 1);
    meta.bump('title-length', titleLength);
    meta.bump('entities-length', entitiesLength);
  }

  function upsertStory(story: Story, articles: readonly StoredArticle[]): void {
    removeStory(story.id);
    const entityText = story.entities.join(' ; ');
    const entities = fold(entityText).join(' ');
    for (const source of articles) {
      // An article belongs to one story: its latest placement wins.
      const placed = sql(`SELECT ${ROW_COUNTS} FROM ix_articles WHERE article_id = ?`).get(source.id) as
        RowCounts | undefined;
      if (placed) dropArticle(placed);
      insertArticle(story, source, entityText, entities);
    }
  }

  function load(key: number): LoadedArticle | undefined {
    // Scoring reads the folded terms of hundreds of candidates; the sentences themselves are
    // needed only for the few passages returned, so they are read on first use.
    const row = sql(`SELECT ${SCORING_COLUMNS} FROM ix_articles WHERE key = ?`).get(key) as
      ScoringRow | undefined;
    if (row === undefined) return undefined;
    let sentences: string[] | undefined;
    return {
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
  }

  return {
    upsertStory,
    removeStory,
    load,
    keyOf: (articleId) =>
      (sql('SELECT key FROM ix_articles WHERE article_id = ?').get(articleId) as { key: number } | undefined)
        ?.key,
    keysOfStory: (storyId) =>
      (sql('SELECT key FROM ix_articles WHERE story_id = ?').all(storyId) as { key: number }[]).map(
        (r) => r.key,
      ),
  };
}
