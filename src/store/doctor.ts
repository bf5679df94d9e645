import type { SqliteDatabase } from './sqlite-database.ts';
import type { RecordCodec } from './record-store.ts';

/** A stored record that cannot be read back, by its namespace and key. */
export interface DamagedRecord {
  namespace: string;
  key: string;
  problem: string;
}

/** The keyv table and the damaged records moved aside, kept for inspection. */
const RECORDS_TABLE = 'keyv';
const ASIDE_TABLE = 'herald_damaged_records';

function problemOf(text: string, codec: RecordCodec<unknown> | undefined): string | undefined {
  let stored: unknown;
  try {
    stored = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  const value = (stored as { value?: unknown } | null)?.value;
  if (typeof value !== 'object' || value === null || !('v' in value) || !('data' in value))
    return 'no version envelope';
  const { v, data } = value as { v: unknown; data: unknown };
  if (codec === undefined || typeof v !== 'number') return undefined;
  if (v > codec.version) return `written by a newer Herald (v${v})`;
  const current = v < codec.version && codec.migrate ? codec.migrate(data, v) : data;
  if (v < codec.version && !codec.migrate) return `no migration from v${v}`;
  return codec.schema.safeParse(current).success ? undefined : 'does not match its schema';
}

/**
 * `npm start -- store doctor`: finds the records of a SQLite store that cannot be read back
 * (not JSON, no version envelope, failing their schema) and can move them aside into a table of
 * their own, where they stay for inspection and no longer stand in any command's way.
 */
export function createStoreDoctor(
  database: SqliteDatabase,
  options: { prefix: string; codecs: ReadonlyMap<string, RecordCodec<unknown>> },
) {
  const namespaceOf = (rowKey: string): { namespace: string; key: string } | undefined => {
    const colon = rowKey.indexOf(':');
    const head = colon < 0 ? '' : rowKey.slice(0, colon);
    if (!head.startsWith(`${options.prefix}-`)) return undefined;
    return { namespace: head.slice(options.prefix.length + 1), key: rowKey.slice(colon + 1) };
  };
  return {
    find(): DamagedRecord[] {
      const damaged: DamagedRecord[] = [];
      const rows = database.db.prepare(`SELECT key, value FROM ${RECORDS_TABLE}`).iterate() as Iterable<{
        key: string;
        value: string;
      }>;
      for (const row of rows) {
        const where = namespaceOf(row.key);
        if (where === undefined) continue;
        const problem = problemOf(row.value, options.codecs.get(where.namespace));
        if (problem !== undefined) damaged.push({ ...where, problem });
      }
      return damaged;
    },
    /** Moves the records aside in one transaction; returns how many moved. */
    moveAside(records: readonly DamagedRecord[]): number {
      database.db.exec(
        `CREATE TABLE IF NOT EXISTS ${ASIDE_TABLE} (key TEXT PRIMARY KEY, value TEXT, problem TEXT, moved_at TEXT)`,
      );
      let moved = 0;
      database.alongside(() => {
        for (const record of records) {
          const rowKey = `${options.prefix}-${record.namespace}:${record.key}`;
          database
            .statement(
              `INSERT OR REPLACE INTO ${ASIDE_TABLE} (key, value, problem, moved_at)
               SELECT key, value, ?, ? FROM ${RECORDS_TABLE} WHERE key = ?`,
            )
            .run(record.problem, new Date().toISOString(), rowKey);
          moved += Number(
            database.statement(`DELETE FROM ${RECORDS_TABLE} WHERE key = ?`).run(rowKey).changes,
          );
        }
      });
      return moved;
    },
    asideTable: ASIDE_TABLE,
  };
}
