/**
 * The answer index's SQLite layout. `ix_articles` holds each article's sentences once (JSON)
 * with its story, audience and time; a passage's rowid encodes its article, first sentence and
 * length, so the FTS tables are contentless (no text stored twice). The passage table has two
 * columns, one for sentences and one for two-sentence windows: BM25 treats them as one text,
 * and fts5vocab's per-column counts give the sentence frequency of a stem for idf(). `ix_meta`
 * keeps the counters BM25 needs, the change-log cursor and the generation token.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';

/** Passages per article the rowid can address (two per sentence). */
export const SLOTS = 4096;
export const MAX_SENTENCES = SLOTS / 2;

/** Prepared statements by their SQL (store/statement-cache.ts). */
export type Statements = (sql: string) => StatementSync;

export function createFtsTables(db: DatabaseSync): void {
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
}

/** A passage's place: the sentence it starts at and whether it is a two-sentence window. */
export interface PassageSlot {
  /** `2 × start` for a sentence, `2 × start + 1` for the window starting there. */
  slot: number;
  start: number;
  /** Sentences in the passage: 1 or 2. */
  count: 1 | 2;
}

export const passageRowid = (articleKey: number, slot: number): number => articleKey * SLOTS + slot;

/** The article and place a passage rowid stands for. */
export function passageOfRowid(rowid: number): { articleKey: number } & PassageSlot {
  const slot = rowid % SLOTS;
  return {
    articleKey: Math.floor(rowid / SLOTS),
    slot,
    start: Math.floor(slot / 2),
    count: slot % 2 === 0 ? 1 : 2,
  };
}

/** Every passage of an article of `sentences` sentences: each sentence, and each window when kept. */
export function passageSlots(sentences: number, windows: boolean): PassageSlot[] {
  const slots: PassageSlot[] = [];
  for (let start = 0; start < sentences; start++) {
    slots.push({ slot: start * 2, start, count: 1 });
    if (windows && start + 1 < sentences) slots.push({ slot: start * 2 + 1, start, count: 2 });
  }
  return slots;
}

/** What scoring reads per article, computed once at index time: folded terms and field lengths. */
export interface ArticleTerms {
  /** Folded terms of each sentence, space-separated. */
  sentences: string[];
  /** Distinct raw tokens of each passage slot (2 × sentence + 0 sentence, + 1 window). */
  lengths: number[];
  title: string;
  entities: string;
}

/** The counters BM25 needs, kept in ix_meta in step with the rows. */
export type Counter =
  'sentences' | 'passages' | 'passage-length' | 'heads' | 'title-length' | 'entities-length';

export interface IndexMeta {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
  counter(key: Counter): number;
  bump(key: Counter, delta: number): void;
}

export function createIndexMeta(sql: Statements): IndexMeta {
  const get = (key: string): string | undefined =>
    (sql('SELECT value FROM ix_meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  const set = (key: string, value: string): void => {
    sql(
      'INSERT INTO ix_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    ).run(key, value);
  };
  const counter = (key: Counter): number => Number(get(key) ?? 0);
  return { get, set, counter, bump: (key, delta) => set(key, String(counter(key) + delta)) };
}
