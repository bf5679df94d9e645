import type { RedisClientType } from '@keyv/redis';
import { StoreReadError } from './record-store.ts';
import type { SqliteDatabase } from './sqlite-database.ts';

/** The change log's table in a SQLite store. */
export const CHANGE_LOG_TABLE = 'herald_story_changes';

/**
 * A change log that cannot be read as Herald writes it (a table of another shape, a corrupt
 * page, a row without a story id, a Redis key of another type) is store damage, like a record
 * that is not JSON: reading on past it would leave the answer index silently behind the store.
 */
export class ChangeLogDamageError extends StoreReadError {
  /** What is wrong, in a few words (without the repair hint). */
  readonly problem: string;
  constructor(where: string, problem: string) {
    super(
      `${where} (the story change log) cannot be read: ${problem}. ` +
        'npm start -- store doctor --move sets it aside and starts a new one (the answer index then rebuilds from the stories)',
    );
    this.problem = problem;
  }
}

function changeLogDamage(where: string, problem: string): ChangeLogDamageError {
  return new ChangeLogDamageError(where, problem);
}

/**
 * SQLite's primary result codes for a schema or a file that is not what was written: a missing
 * table or column (SQLITE_ERROR), a corrupt page (SQLITE_CORRUPT), a type mismatch
 * (SQLITE_MISMATCH), not a database (SQLITE_NOTADB). Full, read-only and busy are not damage.
 */
const DAMAGE_CODES = new Set([1, 11, 20, 26]);

function sqliteDamage<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    const code = (error as { errcode?: unknown }).errcode;
    if (typeof code === 'number' && DAMAGE_CODES.has(code & 0xff))
      throw changeLogDamage(`table ${CHANGE_LOG_TABLE}`, (error as Error).message);
    throw error;
  }
}

/** A stored cursor (`changes-pruned-through`): a whole number, or the log is damaged. */
function prunedThrough(row: { value: unknown } | undefined): number {
  if (row === undefined) return 0;
  const value = Number(row.value);
  if (typeof row.value !== 'string' || !Number.isSafeInteger(value) || value < 0)
    throw changeLogDamage(
      'table herald_meta',
      `changes-pruned-through is ${JSON.stringify(row.value)}, not a number`,
    );
  return value;
}

function checkedRows(
  rows: readonly { seq: unknown; story_id: unknown }[],
): { seq: number; storyId: string }[] {
  return rows.map((row) => {
    if (typeof row.seq !== 'number' || !Number.isSafeInteger(row.seq))
      throw changeLogDamage(`table ${CHANGE_LOG_TABLE}`, `a row has the sequence number ${String(row.seq)}`);
    if (typeof row.story_id !== 'string' || row.story_id === '')
      throw changeLogDamage(`table ${CHANGE_LOG_TABLE}`, `row ${row.seq} has no story id`);
    return { seq: row.seq, storyId: row.story_id };
  });
}

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

/** Reads the whole SQLite change log once; throws its damage (`store doctor`). */
export function checkSqliteChangeLog(database: SqliteDatabase): void {
  sqliteDamage(() => {
    const rows = database.db.prepare(`SELECT seq, story_id FROM ${CHANGE_LOG_TABLE}`).iterate() as Iterable<{
      seq: unknown;
      story_id: unknown;
    }>;
    for (const row of rows) checkedRows([row]);
    prunedThrough(
      database.db.prepare("SELECT value FROM herald_meta WHERE key = 'changes-pruned-through'").get() as
        { value: unknown } | undefined,
    );
  });
}

/**
 * Sets a damaged change log aside (renamed, kept for inspection) and starts a new one whose
 * numbers begin far past any cursor a reader can hold, with everything before marked pruned:
 * every reader then rebuilds from the stories instead of reading on from a cursor that means
 * nothing in the new log. Returns the table the old log was moved to.
 */
export function restartSqliteChangeLog(database: SqliteDatabase, now: Date): string {
  const aside = `herald_damaged_story_changes_${now.toISOString().replace(/\D/g, '').slice(0, 14)}`;
  const known = (sql: string): number => {
    try {
      const value = Number((database.db.prepare(sql).get() as { value?: unknown } | undefined)?.value);
      return Number.isSafeInteger(value) && value > 0 ? value : 0;
    } catch {
      return 0;
    }
  };
  const last = Math.max(
    known(`SELECT seq AS value FROM sqlite_sequence WHERE name = '${CHANGE_LOG_TABLE}'`),
    known("SELECT value FROM herald_meta WHERE key = 'changes-pruned-through'"),
  );
  const start = last + 2 ** 32;
  database.alongside(() => {
    database.db.exec(`ALTER TABLE ${CHANGE_LOG_TABLE} RENAME TO ${aside}`);
    database.db.exec(
      `CREATE TABLE ${CHANGE_LOG_TABLE} (seq INTEGER PRIMARY KEY AUTOINCREMENT, story_id TEXT NOT NULL)`,
    );
    database.db.exec('CREATE TABLE IF NOT EXISTS herald_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    database.db.prepare('DELETE FROM sqlite_sequence WHERE name = ?').run(CHANGE_LOG_TABLE);
    database.db.prepare('INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)').run(CHANGE_LOG_TABLE, start);
    database.db
      .prepare(
        "INSERT INTO herald_meta (key, value) VALUES ('changes-pruned-through', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      )
      .run(String(start));
  });
  return aside;
}

/** In the store's own file: appended inside the ingest batch's transaction. */
export function createSqliteChangeLog(database: SqliteDatabase): StoryChangeLog {
  database.db.exec(
    `CREATE TABLE IF NOT EXISTS ${CHANGE_LOG_TABLE} (seq INTEGER PRIMARY KEY AUTOINCREMENT, story_id TEXT NOT NULL)`,
  );
  database.db.exec('CREATE TABLE IF NOT EXISTS herald_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
  const insert = (storyIds: readonly string[]) => {
    const statement = database.statement(`INSERT INTO ${CHANGE_LOG_TABLE} (story_id) VALUES (?)`);
    for (const id of storyIds) statement.run(id);
  };
  const pruned = (): number =>
    prunedThrough(
      database.statement("SELECT value FROM herald_meta WHERE key = 'changes-pruned-through'").get() as
        { value: unknown } | undefined,
    );
  return {
    async append(storyIds) {
      database.alongside(() => sqliteDamage(() => insert(storyIds)));
    },
    async readSince(cursor, limit) {
      const after = Number(cursor ?? 0);
      return sqliteDamage(() => {
        const rows = checkedRows(
          database
            .statement(`SELECT seq, story_id FROM ${CHANGE_LOG_TABLE} WHERE seq > ? ORDER BY seq LIMIT ?`)
            .all(after, limit) as { seq: unknown; story_id: unknown }[],
        );
        return {
          storyIds: rows.map((r) => r.storyId),
          cursor: String(rows.at(-1)?.seq ?? Math.max(after, 0)),
          reset: pruned() > after,
        };
      });
    },
    async prune(cursor) {
      sqliteDamage(() => {
        database.statement(`DELETE FROM ${CHANGE_LOG_TABLE} WHERE seq <= ?`).run(Number(cursor));
        database
          .statement(
            "INSERT INTO herald_meta (key, value) VALUES ('changes-pruned-through', ?) ON CONFLICT(key) DO UPDATE SET value = MAX(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))",
          )
          .run(String(Number(cursor)));
      });
    },
    async head() {
      return sqliteDamage(() => {
        const row = database.statement(`SELECT MAX(seq) AS seq FROM ${CHANGE_LOG_TABLE}`).get() as {
          seq: unknown;
        };
        if (row.seq !== null && (typeof row.seq !== 'number' || !Number.isSafeInteger(row.seq)))
          throw changeLogDamage(
            `table ${CHANGE_LOG_TABLE}`,
            `a row has the sequence number ${String(row.seq)}`,
          );
        return String(Math.max(row.seq ?? 0, pruned()));
      });
    },
  };
}

/** Entries kept in the Redis stream; a reader further behind rebuilds from the store. */
const STREAM_MAX = 500_000;

/** A Redis stream shared by every instance; each keeps its own cursor beside its index file. */
export function createRedisChangeLog(client: RedisClientType, key: string): StoryChangeLog {
  /** A key holding something other than a stream is damage, named by the key. */
  async function redisDamage<T>(read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('WRONGTYPE'))
        throw changeLogDamage(`Redis key ${key}`, 'it holds something other than a stream');
      throw error;
    }
  }
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
      const entries = await redisDamage(() => client.xRange(key, `(${after}`, '+', { COUNT: limit }));
      const storyIds = entries.map((e) => {
        const story = e.message.story;
        if (typeof story !== 'string' || story === '')
          throw changeLogDamage(`Redis key ${key}`, `entry ${e.id} has no story id`);
        return story;
      });
      let reset = false;
      if (entries.length > 0 || after !== '0-0') {
        // Trimmed past the cursor: what it missed is gone from the log.
        const info = (await client.sendCommand(['XINFO', 'STREAM', key]).catch(() => undefined)) as
          unknown[] | undefined;
        const maxDeleted = info ? String(info[info.indexOf('max-deleted-entry-id') + 1] ?? '0-0') : '0-0';
        reset = compareStreamIds(maxDeleted, after) > 0;
      }
      return {
        storyIds,
        cursor: entries.at(-1)?.id ?? after,
        reset,
      };
    },
    async prune() {
      // Other instances read the same stream: it is trimmed by length, not by one reader.
    },
    async head() {
      const [last] = await redisDamage(() => client.xRevRange(key, '+', '-', { COUNT: 1 }));
      return last?.id ?? '0-0';
    },
  };
}

function compareStreamIds(a: string, b: string): number {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am === bm ? as - bs : am - bm;
}
