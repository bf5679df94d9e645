import type { RedisClientType } from '@keyv/redis';
import type { SqliteDatabase } from './sqlite-database.ts';

/** A page of the change log read after a cursor. */
export interface ChangePage {
  /** Story ids written or deleted after the cursor, oldest first (repeats possible). */
  storyIds: string[];
  /** The cursor to read from next time. */
  cursor: string;
  /**
   * True when changes after the given cursor are no longer kept (the log was trimmed past it):
   * the reader must rebuild from the store instead of catching up.
   */
  reset: boolean;
}

/**
 * The ids of the stories every write touched, in order. The answer index catches up from it:
 * at start it reads only what changed since its cursor, never the whole store. Appended in
 * the same transaction as the stories on SQLite; on Redis a stream all instances read.
 */
export interface StoryChangeLog {
  append(storyIds: readonly string[]): Promise<void>;
  readSince(cursor: string | undefined, limit: number): Promise<ChangePage>;
  /** Drops entries up to and including the cursor (every reader has them). */
  prune(cursor: string): Promise<void>;
  /** The cursor of the newest entry: a reader starting there has seen everything before it. */
  head(): Promise<string>;
}

export function createMemoryChangeLog(): StoryChangeLog {
  const entries: { seq: number; storyId: string }[] = [];
  let next = 1;
  let prunedThrough = 0;
  return {
    async append(storyIds) {
      for (const storyId of storyIds) entries.push({ seq: next++, storyId });
    },
    async readSince(cursor, limit) {
      const after = Number(cursor ?? 0);
      const page = entries.filter((entry) => entry.seq > after).slice(0, limit);
      return {
        storyIds: page.map((e) => e.storyId),
        cursor: String(page.at(-1)?.seq ?? after),
        reset: after < prunedThrough,
      };
    },
    async prune(cursor) {
      const through = Number(cursor);
      while (entries[0] !== undefined && entries[0].seq <= through) entries.shift();
      prunedThrough = Math.max(prunedThrough, through);
    },
    async head() {
      return String(next - 1);
    },
  };
}

/** In the store's own file: appended inside the ingest batch's transaction. */
export function createSqliteChangeLog(database: SqliteDatabase): StoryChangeLog {
  database.db.exec(
    'CREATE TABLE IF NOT EXISTS herald_story_changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, story_id TEXT NOT NULL)',
  );
  database.db.exec('CREATE TABLE IF NOT EXISTS herald_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
  const insert = (storyIds: readonly string[]) => {
    const statement = database.statement('INSERT INTO herald_story_changes (story_id) VALUES (?)');
    for (const id of storyIds) statement.run(id);
  };
  return {
    async append(storyIds) {
      database.alongside(() => insert(storyIds));
    },
    async readSince(cursor, limit) {
      const after = Number(cursor ?? 0);
      const rows = database
        .statement('SELECT seq, story_id FROM herald_story_changes WHERE seq > ? ORDER BY seq LIMIT ?')
        .all(after, limit) as { seq: number; story_id: string }[];
      const pruned = database
        .statement("SELECT value FROM herald_meta WHERE key = 'changes-pruned-through'")
        .get() as { value: string } | undefined;
      const reset = Number(pruned?.value ?? 0) > after;
      return {
        storyIds: rows.map((r) => r.story_id),
        cursor: String(rows.at(-1)?.seq ?? Math.max(after, 0)),
        reset,
      };
    },
    async prune(cursor) {
      database.statement('DELETE FROM herald_story_changes WHERE seq <= ?').run(Number(cursor));
      database
        .statement(
          "INSERT INTO herald_meta (key, value) VALUES ('changes-pruned-through', ?) ON CONFLICT(key) DO UPDATE SET value = MAX(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))",
        )
        .run(String(Number(cursor)));
    },
    async head() {
      const row = database.statement('SELECT MAX(seq) AS seq FROM herald_story_changes').get() as {
        seq: number | null;
      };
      const pruned = database
        .statement("SELECT value FROM herald_meta WHERE key = 'changes-pruned-through'")
        .get() as { value: string } | undefined;
      return String(Math.max(row.seq ?? 0, Number(pruned?.value ?? 0)));
    },
  };
}

/** Entries kept in the Redis stream; a reader further behind rebuilds from the store. */
const STREAM_MAX = 500_000;

/** A Redis stream shared by every instance; each keeps its own cursor beside its index file. */
export function createRedisChangeLog(client: RedisClientType, key: string): StoryChangeLog {
  return {
    async append(storyIds) {
      if (storyIds.length === 0) return;
      const multi = client.multi();
      for (const id of storyIds)
        multi.xAdd(
          key,
          '*',
          { story: id },
          { TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: STREAM_MAX } },
        );
      await multi.exec();
    },
    async readSince(cursor, limit) {
      const after = cursor ?? '0-0';
      const entries = await client.xRange(key, `(${after}`, '+', { COUNT: limit });
      let reset = false;
      if (entries.length > 0 || after !== '0-0') {
        // Trimmed past the cursor: what it missed is gone from the log.
        const info = (await client.sendCommand(['XINFO', 'STREAM', key]).catch(() => undefined)) as
          unknown[] | undefined;
        const maxDeleted = info ? String(info[info.indexOf('max-deleted-entry-id') + 1] ?? '0-0') : '0-0';
        reset = compareStreamIds(maxDeleted, after) > 0;
      }
      return {
        storyIds: entries.map((e) => String(e.message.story)),
        cursor: entries.at(-1)?.id ?? after,
        reset,
      };
    },
    async prune() {
      // Other instances read the same stream: it is trimmed by length, not by one reader.
    },
    async head() {
      const [last] = await client.xRevRange(key, '+', '-', { COUNT: 1 });
      return last?.id ?? '0-0';
    },
  };
}

function compareStreamIds(a: string, b: string): number {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am === bm ? as - bs : am - bm;
}
