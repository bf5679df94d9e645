import type { DatabaseSync, StatementSync } from 'node:sqlite';

/** Prepares each SQL text once per database: preparing costs more than running a small query. */
export function createStatementCache(db: DatabaseSync): (sql: string) => StatementSync {
  const statements = new Map<string, StatementSync>();
  return (sql) => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
}
