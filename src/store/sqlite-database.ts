import { AsyncLocalStorage } from 'node:async_hooks';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { pathToFileURL } from 'node:url';
import { createStatementCache } from './statement-cache.ts';
import { inTransaction } from './sqlite-transaction.ts';

/**
 * One SQLite file opened with `node:sqlite` (built into Node: nothing to compile), shared by
 * every keyv namespace, the claims and the answer index of one backend.
 *
 * WAL lets readers (another Herald process, `npm start -- ask`) read while an ingest writes;
 * synchronous=NORMAL syncs at checkpoints instead of every commit, which WAL keeps crash-safe
 * (a power cut may lose the last commits, never corrupt the file); the busy timeout makes a
 * second process wait for the write lock instead of failing at once.
 */
export interface SqliteDatabase {
  readonly file: string;
  /** Opened read-only (a read-only file or mount): reads answer, every write is refused. */
  readonly readOnly: boolean;
  readonly db: DatabaseSync;
  /** A prepared statement, cached by its text. */
  statement(sql: string): StatementSync;
  /**
   * Runs `work`, holding back every keyv write it makes (and only its own: other tasks keep
   * writing straight through) and committing them together in one transaction at its end. A
   * crash leaves all of them or none; one commit instead of one per write is also what makes
   * an ingest fast.
   */
  batch<T>(work: () => Promise<T>): Promise<T>;
  /** The pending writes of the batch the caller runs in, if any. */
  pendingBatch(): PendingBatch | undefined;
  /**
   * Writes beside the records: inside the caller's batch when there is one (so they commit
   * with its writes), else in a transaction of their own at once.
   */
  alongside(work: () => void): void;
  close(): void;
}

/** What a batch holds back until its commit. */
export interface PendingBatch {
  /** keyv writes keyed by table and key; `undefined` marks a delete. */
  writes: Map<string, { table: string; key: string; value: string | undefined }>;
  /** Other statements to run in the same transaction (the answer index's rows), in order. */
  alsoInTransaction: (() => void)[];
}

export const BUSY_TIMEOUT_MS = 10_000;
/*
 * The page cache stays at SQLite's default (2 MiB). A 16 MiB cache made an ingest of 10,000
 * articles spend half the system time (dirty pages no longer spilled to the WAL and read back
 * mid-transaction: SQLite ingest 84-90% of the memory rate per CPU-second against about 78%),
 * but a bot answering questions on a 100,000-article store then held 10-17 MB more resident
 * (208-217 MB against 198-200 MB, same store, runs interleaved), even when the cache was given
 * back after writes: memory is the scarcer resource on the small machines Herald runs on.
 */

/** SQLite's result codes for a file it cannot open for writing. */
const SQLITE_READONLY = 8;
const SQLITE_CANTOPEN = 14;

function writable(target: string): boolean {
  try {
    accessSync(target, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * A file or folder nobody may write by its mode is read-only as its owner meant it, even to
 * root, whom access(2) lets write anything: Herald as root must not turn a store someone made
 * read-only back into a written one (WAL files, journal mode, new rows).
 */
function markedReadOnly(target: string): boolean {
  try {
    return (statSync(target).mode & 0o222) === 0;
  } catch {
    return false;
  }
}

/**
 * A store on a read-only mount or in a read-only file is opened read-only, so the commands that
 * read can still answer from it. A WAL file needs its shared-memory file (`-shm`), which a
 * read-only directory cannot hold: then the file is opened as immutable, which is what it is.
 */
function openReadOnly(file: string): DatabaseSync {
  try {
    const db = new DatabaseSync(file, { readOnly: true });
    db.prepare('SELECT 1 FROM sqlite_master LIMIT 1').get();
    return db;
  } catch {
    return new DatabaseSync(new URL(`${pathToFileURL(file).href}?immutable=1`), { readOnly: true });
  }
}

function openFile(file: string): { db: DatabaseSync; readOnly: boolean } {
  const exists = existsSync(file);
  const folder = path.dirname(file);
  if (exists && [file, folder].some((target) => !writable(target) || markedReadOnly(target)))
    return { db: openReadOnly(file), readOnly: true };
  const db = new DatabaseSync(file);
  try {
    db.exec('PRAGMA journal_mode = WAL');
    return { db, readOnly: false };
  } catch (error) {
    const code = (error as { errcode?: unknown }).errcode;
    if (!exists || typeof code !== 'number' || ![SQLITE_READONLY, SQLITE_CANTOPEN].includes(code & 0xff))
      throw error;
    db.close();
    return { db: openReadOnly(file), readOnly: true };
  }
}

export function openSqliteDatabase(file: string): SqliteDatabase {
  const { db, readOnly } = openFile(file);
  db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  if (!readOnly) db.exec('PRAGMA synchronous = NORMAL');
  // A statement inside a transaction that may change many rows keeps the original of each page
  // it changes in a statement journal, which SQLite moves to a temporary file past 64 KiB. In
  // an ingest that file took 86% of the process's writes (296,000 of 343,000 for 3,000 articles)
  // and much of its system time. The journal lasts one statement:
  // the memory it takes is the pages that statement changed. An in-memory database (the
  // answer index for memory://) never had the file.
  db.exec('PRAGMA temp_store = MEMORY');
  // SQLite copies the WAL into the file (a checkpoint, with two syncs) once a commit leaves it
  // past this many pages. An ingest's commits each write thousands of pages, many the same
  // ones again (the dedup lists, the answer index's segments): at the default 1,000 every
  // commit paid a checkpoint; at 10,000 (40 MB of WAL on disk at most between them) a page
  // written by several commits is copied once.
  if (!readOnly) db.exec('PRAGMA wal_autocheckpoint = 10000');
  const statement = createStatementCache(db);
  const batches = new AsyncLocalStorage<PendingBatch>();

  /** Applies a batch's writes synchronously: nothing else can run between BEGIN and COMMIT. */
  function commit(pending: PendingBatch): void {
    if (pending.writes.size === 0 && pending.alsoInTransaction.length === 0) return;
    inTransaction(db, () => {
      for (const { table, key, value } of pending.writes.values()) {
        if (value === undefined) statement(`DELETE FROM ${table} WHERE key = ?`).run(key);
        else
          statement(
            `INSERT INTO ${table} (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
          ).run(key, value);
      }
      for (const run of pending.alsoInTransaction) run();
    });
  }

  return {
    file,
    readOnly,
    db,
    statement,
    async batch(work) {
      // A batch inside a batch joins it: the outer one commits.
      if (batches.getStore() !== undefined) return work();
      const pending: PendingBatch = { writes: new Map(), alsoInTransaction: [] };
      const result = await batches.run(pending, work);
      commit(pending);
      return result;
    },
    pendingBatch: () => batches.getStore(),
    alongside(work) {
      const pending = batches.getStore();
      if (pending !== undefined) pending.alsoInTransaction.push(work);
      else inTransaction(db, work);
    },
    close() {
      db.close();
    },
  };
}
