import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/store/sqlite-transaction.ts';

describe('inTransaction', () => {
  it('keeps the original error when SQLite already rolled the transaction back (a full disk)', () => {
    const db = new DatabaseSync(':memory:');
    db.exec('CREATE TABLE t (v INTEGER)');
    const full = new Error('database or disk is full');
    expect(() =>
      inTransaction(db, () => {
        db.exec('INSERT INTO t VALUES (1)');
        // What SQLite does on SQLITE_FULL mid-transaction: the transaction is gone already.
        db.exec('ROLLBACK');
        throw full;
      }),
    ).toThrowError(full);
    expect(db.isTransaction).toBe(false);
  });

  it('rolls back an open transaction when the work fails', () => {
    const db = new DatabaseSync(':memory:');
    db.exec('CREATE TABLE t (v INTEGER)');
    expect(() =>
      inTransaction(db, () => {
        db.exec('INSERT INTO t VALUES (1)');
        throw new Error('bad row');
      }),
    ).toThrowError('bad row');
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 0 });
  });
});
