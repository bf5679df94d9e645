/**
 * One small row per story beside the answer index (same file, same transactions, same change-log
 * cursor): when it was published and first seen, who may see it, its title and its topic keys.
 * /brief, /topics, story autocomplete, daily DMs and /status ask it which stories they need
 * instead of reading every stored story: at 100,000 stories a full read parses hundreds of
 * megabytes of JSON, seconds per command and per keystroke.
 */
import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import type { Audience, Story } from '../news/types.ts';
import { entityMatchKeys, entityTopicKey } from './topics/entities.ts';
import { createStatementCache } from '../store/statement-cache.ts';
import { inTransaction } from '../store/sqlite-transaction.ts';

/** Written inside the answer index's transactions (see fts-story-index.ts's companion). */
export interface IndexCompanion {
  apply(storyId: string, story: Story | undefined): void;
  clear(): void;
}

export interface CatalogQuery {
  audience: Audience;
  /** Leave out feed backlog from a first ingest. */
  excludeBacklog?: boolean;
  /** Only stories first seen after this time (ms). */
  firstSeenAfterMs?: number;
  /** Only stories carrying this topic key (a section key or a name's topic key). */
  topicKey?: string;
}

/** A position in the newest-first order: the next page starts after it. */
export interface CatalogPosition {
  publishedMs: number;
  storyId: string;
}

export interface StoryCatalog extends IndexCompanion {
  /** Story ids newest first (by publication), `limit` at a time after `after`. */
  page(
    query: CatalogQuery,
    limit: number,
    after?: CatalogPosition,
  ): { storyId: string; publishedMs: number }[];
  /** Ids of stories whose title holds every word (or whose id starts with it), newest first. */
  titled(words: readonly string[], audience: Audience, limit: number): string[];
  /** Topics and names of every visible story, without reading the stories. */
  topicRows(audience: Audience): { topics: string[]; entities: string[] }[];
  /** How many visible stories carry each section, counted in SQL: no row reaches JavaScript. */
  sectionCounts(audience: Audience, sectionKeys: readonly string[]): Map<string, number>;
  count(): number;
  /** True when the index was built before the catalog existed: fill it from the store once. */
  needsFill(): boolean;
  /** Adds stories read from the store, in one transaction of its own. */
  fill(stories: readonly Story[]): void;
  markFilled(): void;
}

/** Keys a story answers to: its sections, and each name's topic key and short forms. */
export function topicKeysOf(story: Pick<Story, 'topics' | 'entities'>): string[] {
  const keys = new Set(story.topics);
  for (const name of story.entities) {
    keys.add(entityTopicKey(name.trim().replace(/['’]s$/u, '')));
    for (const key of entityMatchKeys(name)) keys.add(key);
  }
  keys.delete('');
  return [...keys];
}

/** A space on each side, so `instr(column, ' key ')` finds whole keys only. */
const spaced = (values: readonly string[]): string => ` ${values.join(' ')} `;
const timeOf = (iso: string): number => {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : 0;
};

export function createStoryCatalog(db: DatabaseSync): StoryCatalog {
  db.exec(`
    CREATE TABLE IF NOT EXISTS ix_stories (
      story_id TEXT PRIMARY KEY, title TEXT NOT NULL, title_folded TEXT NOT NULL, published_ms INTEGER NOT NULL,
      first_seen_ms INTEGER NOT NULL, backlog INTEGER NOT NULL, guild_ids TEXT, topic_keys TEXT NOT NULL,
      topics TEXT NOT NULL, entities TEXT NOT NULL);
    CREATE INDEX IF NOT EXISTS ix_stories_newest ON ix_stories (published_ms DESC, story_id DESC);
    CREATE TABLE IF NOT EXISTS ix_catalog_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  `);
  const sql = createStatementCache(db);
  const hasRows = () => sql('SELECT 1 FROM ix_stories LIMIT 1').get() !== undefined;
  const indexHasRows = () => {
    try {
      return db.prepare('SELECT 1 FROM ix_articles LIMIT 1').get() !== undefined;
    } catch {
      return false;
    }
  };
  // Once filled, filled for good (clear() marks it too): the check before every catch-up then
  // costs nothing.
  let knownFilled = false;
  const filled = () =>
    (knownFilled ||= sql("SELECT 1 FROM ix_catalog_meta WHERE key = 'filled'").get() !== undefined);
  const markFilled = () => {
    sql("INSERT OR IGNORE INTO ix_catalog_meta (key, value) VALUES ('filled', '1')").run();
    knownFilled = true;
  };

  /** The visibility clause for an audience: shared stories, or those of the reader's servers. */
  function visible(audience: Audience, params: SQLInputValue[]): string {
    if (audience === 'operator') return '1';
    const own = audience.guildIds.map((id) => {
      params.push(` ${id} `);
      return 'instr(guild_ids, ?) > 0';
    });
    return `(guild_ids IS NULL${own.length > 0 ? ` OR ${own.join(' OR ')}` : ''})`;
  }

  function apply(storyId: string, story: Story | undefined): void {
    if (story === undefined) {
      sql('DELETE FROM ix_stories WHERE story_id = ?').run(storyId);
      return;
    }
    sql(`INSERT INTO ix_stories (story_id, title, title_folded, published_ms, first_seen_ms, backlog, guild_ids, topic_keys, topics, entities)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(story_id) DO UPDATE SET title = excluded.title, title_folded = excluded.title_folded, published_ms = excluded.published_ms,
           first_seen_ms = excluded.first_seen_ms, backlog = excluded.backlog, guild_ids = excluded.guild_ids, topic_keys = excluded.topic_keys,
           topics = excluded.topics, entities = excluded.entities`).run(
      storyId,
      story.title,
      story.title.toLowerCase(),
      timeOf(story.publishedAt),
      timeOf(story.firstSeenAt),
      story.backlog === true ? 1 : 0,
      story.guildIds === undefined ? null : spaced(story.guildIds),
      spaced(topicKeysOf(story)),
      story.topics.join('\n'),
      story.entities.join('\n'),
    );
  }

  return {
    apply,
    fill(stories) {
      inTransaction(db, () => {
        for (const story of stories) apply(story.id, story);
      });
    },
    clear() {
      sql('DELETE FROM ix_stories').run();
      // A rebuild brings every story through apply(): nothing left to fill.
      markFilled();
    },
    page(query, limit, after) {
      const params: SQLInputValue[] = [];
      const where = [visible(query.audience, params)];
      if (query.excludeBacklog) where.push('backlog = 0');
      if (query.firstSeenAfterMs !== undefined) {
        where.push('first_seen_ms > ?');
        params.push(query.firstSeenAfterMs);
      }
      if (query.topicKey !== undefined) {
        where.push('instr(topic_keys, ?) > 0');
        params.push(` ${query.topicKey} `);
      }
      if (after !== undefined) {
        where.push('(published_ms, story_id) < (?, ?)');
        params.push(after.publishedMs, after.storyId);
      }
      params.push(limit);
      const rows = sql(
        `SELECT story_id, published_ms FROM ix_stories WHERE ${where.join(' AND ')} ORDER BY published_ms DESC, story_id DESC LIMIT ?`,
      ).all(...params) as { story_id: string; published_ms: number }[];
      return rows.map((row) => ({ storyId: row.story_id, publishedMs: row.published_ms }));
    },
    titled(words, audience, limit) {
      const params: SQLInputValue[] = [];
      const where = [visible(audience, params)];
      for (const word of words) {
        where.push('(instr(title_folded, ?) > 0 OR substr(story_id, 1, ?) = ?)');
        params.push(word.toLowerCase(), word.length, word);
      }
      params.push(limit);
      const rows = sql(
        `SELECT story_id FROM ix_stories WHERE ${where.join(' AND ')} ORDER BY published_ms DESC, story_id DESC LIMIT ?`,
      ).all(...params) as { story_id: string }[];
      return rows.map((row) => row.story_id);
    },
    topicRows(audience) {
      const params: SQLInputValue[] = [];
      const rows = sql(`SELECT topics, entities FROM ix_stories WHERE ${visible(audience, params)}`).all(
        ...params,
      ) as { topics: string; entities: string }[];
      const split = (text: string) => (text === '' ? [] : text.split('\n'));
      return rows.map((row) => ({ topics: split(row.topics), entities: split(row.entities) }));
    },
    sectionCounts(audience, sectionKeys) {
      const counts = new Map(sectionKeys.map((key) => [key, 0]));
      if (sectionKeys.length === 0) return counts;
      // topics is the story's own sections one a line: a key matches a whole line only.
      const params: SQLInputValue[] = sectionKeys.map((key) => `\n${key}\n`);
      const sums = sectionKeys.map((_, i) => `SUM(instr(char(10) || topics || char(10), ?) > 0) AS c${i}`);
      const row = sql(`SELECT ${sums.join(', ')} FROM ix_stories WHERE ${visible(audience, params)}`).get(
        ...params,
      ) as Record<string, number | null> | undefined;
      sectionKeys.forEach((key, i) => counts.set(key, row?.[`c${i}`] ?? 0));
      return counts;
    },
    count: () => (sql('SELECT COUNT(*) AS n FROM ix_stories').get() as { n: number }).n,
    needsFill: () => !filled() && !hasRows() && indexHasRows(),
    markFilled,
  };
}
