import type { DatabaseSync } from 'node:sqlite';

/** Runs `work` in one write transaction: committed whole, or rolled back and the error rethrown. */
export function inTransaction<T>(db: DatabaseSync, work: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    // SQLite rolls a transaction back by itself on some errors (a full disk, an I/O error):
    // a second ROLLBACK would throw "no transaction is active" and hide the error that matters.
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
}
