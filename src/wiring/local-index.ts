import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { HeraldConfig } from '../config/schema.ts';
import type { StoreBackend } from '../store/backend.ts';
import { openSqliteDatabase, type SqliteDatabase } from '../store/sqlite-database.ts';

const opened = new WeakMap<StoreBackend, SqliteDatabase>();

/**
 * With Redis, the file this instance keeps its indexes in (the answer index and the dedup
 * index, each with its cursor into the change log): ANSWER_INDEX_FILE, default
 * data/answer-index-<prefix>.sqlite. Opened once per backend; undefined for other stores,
 * which keep their indexes in their own file (SQLite) or in memory.
 */
export function localIndexDatabase(config: HeraldConfig, backend: StoreBackend): SqliteDatabase | undefined {
  if (backend.kind !== 'redis') return undefined;
  let database = opened.get(backend);
  if (database === undefined) {
    const file =
      config.env.ANSWER_INDEX_FILE ?? `data/answer-index-${backend.redis?.prefix ?? 'herald'}.sqlite`;
    // ':memory:' keeps nothing between starts: every start rebuilds from the store.
    if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    database = openSqliteDatabase(file === ':memory:' ? file : path.resolve(file));
    opened.set(backend, database);
  }
  return database;
}
