import type { RedisClientType } from '@keyv/redis';
import type { SqliteDatabase } from './sqlite-database.ts';

/**
 * Keys of one namespace ordered by one text field of their records, for a question like
 * "which stories were last updated before the cutoff" without reading every record.
 */
export interface FieldIndex {
  /** Keys (without the namespace) whose field is below `value` in text order. */
  keysBelow(value: string): Promise<string[]>;
  /**
   * An index the writer keeps (Redis: no indexes of its own). The record's writer calls these
   * with every write and delete; `filled` says whether records from before the index were
   * added, which the writer does once with `track` and `markFilled`.
   */
  upkeep?: {
    track(key: string, value: string): Promise<void>;
    untrack(key: string): Promise<void>;
    filled(): Promise<boolean>;
    markFilled(): Promise<void>;
  };
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * On SQLite the index is an expression index over the rows keyv already writes, limited to the
 * namespace's key range. SQLite keeps it inside the transaction that writes the row, whoever
 * writes it (another process, an older Herald), so it can never disagree with the records, and
 * `CREATE INDEX` fills it from a file written before it existed: nothing to migrate by hand.
 *
 * It reads keyv's stored layout: `{"value": <record envelope>}` with the record's fields under
 * the envelope's `data` (record-store.ts).
 */
export function createSqliteFieldIndex(
  database: SqliteDatabase,
  options: { namespaceKey: string; field: string; table?: string },
): FieldIndex {
  const table = options.table ?? 'keyv';
  const { namespaceKey, field } = options;
  if (!NAME.test(field) || !NAME.test(table)) throw new Error(`invalid field index ${table}.${field}`);
  const indexName = `${table}_${namespaceKey.replace(/[^A-Za-z0-9_]/g, '_')}_${field}`;
  // A partial index is used only when the query repeats its WHERE terms word for word, so the
  // key range is written into both as literals (quotes doubled), never as parameters.
  const quote = (text: string): string => `'${text.replaceAll("'", "''")}'`;
  const range = `key >= ${quote(`${namespaceKey}:`)} AND key < ${quote(`${namespaceKey};`)}`;
  const expression = `json_extract(value, '$.value.data.${field}')`;
  let created = false;
  /** Creates the index once the table exists (a new file has none until the first record). */
  const ensure = (): boolean => {
    if (created) return true;
    if (
      database.statement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) ===
      undefined
    )
      return false;
    database.db.exec(`CREATE INDEX IF NOT EXISTS "${indexName}" ON ${table} (${expression}) WHERE ${range}`);
    created = true;
    return true;
  };
  try {
    // At once, so writes keep it from the start; on a file an older Herald wrote, SQLite fills
    // it here from the stored rows, once (0.2 s at 100,000 stories).
    ensure();
  } catch {
    // A store refusing writes (full, read-only) still starts; the first question retries and
    // reports it.
  }

  return {
    async keysBelow(value) {
      if (!ensure()) return [];
      // INDEXED BY: should SQLite ever be unable to use the index, the query fails loudly
      // instead of quietly reading the whole table.
      const rows = database
        .statement(`SELECT key FROM ${table} INDEXED BY "${indexName}" WHERE ${range} AND ${expression} < ?`)
        .all(value) as { key: string }[];
      return rows.map((row) => row.key.slice(namespaceKey.length + 1));
    },
  };
}

/**
 * On Redis a sorted set of keys scored by the field read as a time (the field holds ISO-8601
 * times, so text order and time order agree): one round trip answers "which stories were
 * last updated before the cutoff", where a walk reads every record. The writer keeps it.
 */
export function createRedisTimeFieldIndex(client: RedisClientType, setKey: string): FieldIndex {
  const filledKey = `${setKey}:filled`;
  return {
    async keysBelow(value) {
      const below = Date.parse(value);
      if (!Number.isFinite(below)) return [];
      return client.zRangeByScore(setKey, '-inf', `(${below}`);
    },
    upkeep: {
      async track(key, value) {
        const score = Date.parse(value);
        // A record without a readable time is left to the record's own check (never indexed).
        if (Number.isFinite(score)) await client.zAdd(setKey, { score, value: key });
      },
      async untrack(key) {
        await client.zRem(setKey, key);
      },
      filled: async () => (await client.exists(filledKey)) === 1,
      async markFilled() {
        await client.set(filledKey, '1');
      },
    },
  };
}
