import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { HeraldConfig } from '../config/schema.ts';
import type { StoreBackend } from '../store/backend.ts';
import { openSqliteDatabase, type SqliteDatabase } from '../store/sqlite-database.ts';

/**
 * With Redis, the file this instance keeps its indexes in (the answer index and the dedup
 * index, each with its cursor into the change log): ANSWER_INDEX_FILE, default
 * data/answer-index-<prefix>.sqlite. Undefined for other stores, which keep their indexes in
 * their own file (SQLite) or in memory. The root opens it once and hands it to both indexes.
 */
export function openLocalIndex(config: HeraldConfig, backend: StoreBackend): SqliteDatabase | undefined {
  if (backend.kind !== 'redis') return undefined;
  const file =
    config.env.ANSWER_INDEX_FILE ?? `data/answer-index-${backend.redis?.prefix ?? 'herald'}.sqlite`;
  // ':memory:' keeps nothing between starts: every start rebuilds from the store.
  if (file === ':memory:') return openSqliteDatabase(file);
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  return openSqliteDatabase(path.resolve(file));
}
