import type { SqliteDatabase } from '../store/sqlite-database.ts';
import { MAX_POSTINGS } from './story-merge.ts';
import { inTransaction } from '../store/sqlite-transaction.ts';

/**
 * The persistent dedup index's posting lists: for each sampled shingle key, the ids of the
 * entries (dedup_entries rows) posted under it, one row per key. A lookup reads at most a row
 * for each of an article's fifty-odd keys, whatever their lists hold; with a row per posting
 * it read every posting as a row of its own (hundreds per article on a large store), the
 * largest part of what the SQLite ingest cost beyond the in-memory one.
 *
 * The rule is story-merge.ts's: one posting per story per key (the story's first entry with
 * that key), oldest first, and a list that reaches MAX_POSTINGS is full: no more postings, and
 * it stays full (a key that common says nothing about which story an article belongs to).
 * The keys a story has postings under are derived from its entries, and kept in
 * dedup_story_keys once it has more than one, so a story copied thousands of times costs one
 * row read per copy, not a read of every copy.
 */
export interface PostingLists {
  /** The lists of these keys that exist, by key: entry ids oldest first, or 'full'. */
  read(keys: readonly number[]): Map<number, Iterable<number> | 'full'>;
  /**
   * Posts new entries (ids above every stored entry's, in the order given) under their keys,
   * but for the keys their story already has a posting under.
   */
  add(entries: ReadonlyArray<{ storyId: string; entry: number; keys: readonly number[] }>): void;
  /** Takes a story's entries out of the lists (full lists stay as they are: never read again). */
  removeStory(storyId: string): void;
  /** Drops every list (a replica rebuilding from the store), full ones too. */
  clear(): void;
}

const BYTES = 4;
const FULL_BYTES = MAX_POSTINGS * BYTES;

/** Ids packed as 32-bit little-endian integers, so the file reads the same on any machine. */
export function packIds(ids: Iterable<number>): Uint8Array {
  const list = [...ids];
  const bytes = new Uint8Array(list.length * BYTES);
  const view = new DataView(bytes.buffer);
  list.forEach((id, i) => view.setUint32(i * BYTES, id, true));
  return bytes;
}

const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** The ids of a list as they are read: a view on the bytes where the machine's order allows. */
function readIds(bytes: Uint8Array): ArrayLike<number> & Iterable<number> {
  return LITTLE_ENDIAN && bytes.byteOffset % BYTES === 0
    ? new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / BYTES)
    : unpackIds(bytes);
}

export function unpackIds(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ids: number[] = [];
  for (let offset = 0; offset + BYTES <= bytes.byteLength; offset += BYTES)
    ids.push(view.getUint32(offset, true));
  return ids;
}

const ROWS_PER_APPEND = 256;

/** Appends ids to lists (creating the missing ones), `rows` lists in one statement; full lists are left as they are. */
function appendSql(rows: number): string {
  return `INSERT INTO dedup_lists (shingle, entries) VALUES ${Array.from({ length: rows }, () => '(?, ?)').join(', ')}
    ON CONFLICT (shingle) DO UPDATE SET entries = substr(CAST(entries || excluded.entries AS BLOB), 1, ${FULL_BYTES}) WHERE length(entries) < ${FULL_BYTES}`;
}

/**
 * The bound values of lists [from, to): each key and its new ids, packed, cut at the cap.
 * The ids are packed into one buffer the values are views of (a buffer per list cost more).
 */
function appendValues(
  lists: ReadonlyArray<[number, number[]]>,
  from: number,
  to: number,
): (number | Uint8Array)[] {
  let total = 0;
  for (let i = from; i < to; i++) total += Math.min(MAX_POSTINGS, lists[i]?.[1].length ?? 0);
  const bytes = new Uint8Array(total * BYTES);
  const view = new DataView(bytes.buffer);
  const values: (number | Uint8Array)[] = [];
  let offset = 0;
  for (let i = from; i < to; i++) {
    const [key, ids] = lists[i] ?? [0, []];
    const start = offset;
    for (const id of ids.length > MAX_POSTINGS ? ids.slice(0, MAX_POSTINGS) : ids) {
      view.setUint32(offset, id, true);
      offset += BYTES;
    }
    values.push(key, bytes.subarray(start, offset));
  }
  return values;
}

/** An entry's stored shingles (written in the machine's own byte order, as they always were). */
export function storedShingles(blob: Uint8Array): Uint32Array {
  return blob.byteOffset % 4 === 0
    ? new Uint32Array(blob.buffer, blob.byteOffset, blob.byteLength / 4)
    : new Uint32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength));
}

export function createPostingLists(
  database: SqliteDatabase,
  options: { keysOfEntry: (shingles: Uint32Array) => readonly number[] },
): PostingLists {
  const { db } = database;
  db.exec(`
    CREATE TABLE IF NOT EXISTS dedup_lists (shingle INTEGER PRIMARY KEY, entries BLOB NOT NULL);
    CREATE TABLE IF NOT EXISTS dedup_story_keys (story_id TEXT PRIMARY KEY, keys BLOB NOT NULL);
  `);
  migrateFromPostingRows(database);

  /** The keys a story has postings under through its entries older than `before` (undefined: none). */
  function postedKeys(storyId: string, before: number): Set<number> | undefined {
    const row = database.statement('SELECT keys FROM dedup_story_keys WHERE story_id = ?').get(storyId) as
      { keys: Uint8Array } | undefined;
    if (row !== undefined) return new Set(unpackIds(row.keys));
    const entries = database
      .statement('SELECT shingles FROM dedup_entries WHERE story_id = ? AND id < ?')
      .all(storyId, before) as { shingles: Uint8Array }[];
    if (entries.length === 0) return undefined;
    const keys = new Set<number>();
    for (const entry of entries)
      for (const key of options.keysOfEntry(storedShingles(entry.shingles))) keys.add(key);
    return keys;
  }

  return {
    read(keys) {
      const lists = new Map<number, Iterable<number> | 'full'>();
      if (keys.length === 0) return lists;
      const rows = database
        .statement(
          'SELECT l.shingle AS key, l.entries AS entries FROM json_each(?) AS k JOIN dedup_lists AS l ON l.shingle = k.value',
        )
        .all(JSON.stringify(keys)) as { key: number; entries: Uint8Array }[];
      for (const { key, entries } of rows)
        lists.set(key, entries.byteLength >= FULL_BYTES ? 'full' : readIds(entries));
      return lists;
    },
    add(entries) {
      const first = entries[0]?.entry;
      if (first === undefined) return;
      // Each key's new postings, in entry order; the stories whose posted keys must be kept.
      const appended = new Map<number, number[]>();
      const posted = new Map<string, Set<number> | undefined>();
      const storiesWithKeys = new Set<string>();
      for (const { storyId, entry, keys } of entries) {
        let storyKeys = posted.has(storyId) ? posted.get(storyId) : postedKeys(storyId, first);
        const fresh = storyKeys === undefined ? keys : keys.filter((key) => !storyKeys?.has(key));
        for (const key of fresh) {
          const list = appended.get(key);
          if (list === undefined) appended.set(key, [entry]);
          else list.push(entry);
        }
        // A story's first entry needs no keys row (they are its entry's keys); a later one does.
        if (storyKeys === undefined) storyKeys = new Set(keys);
        else {
          for (const key of fresh) storyKeys.add(key);
          storiesWithKeys.add(storyId);
        }
        posted.set(storyId, storyKeys);
      }
      // The whole batch in key order, so the lists' pages are each visited once, in the table's
      // order. Posted one statement per entry, in the order the entries came, every key landed
      // on a page of its own anywhere in the table: with a small page cache each one read a
      // page back and wrote one out (a third of what the SQLite ingest cost beyond the
      // in-memory one). Rows go in a few hundred to a statement, as bound values: a JSON
      // argument unpacked by SQLite cost a quarter more. A list is cut at the cap.
      const lists = [...appended.entries()].sort((a, b) => a[0] - b[0]);
      let next = 0;
      for (; next + ROWS_PER_APPEND <= lists.length; next += ROWS_PER_APPEND) {
        database
          .statement(appendSql(ROWS_PER_APPEND))
          .run(...appendValues(lists, next, next + ROWS_PER_APPEND));
      }
      for (; next < lists.length; next++)
        database.statement(appendSql(1)).run(...appendValues(lists, next, next + 1));
      for (const storyId of storiesWithKeys) {
        const keys = posted.get(storyId) ?? new Set<number>();
        database
          .statement(
            'INSERT INTO dedup_story_keys (story_id, keys) VALUES (?, ?) ON CONFLICT (story_id) DO UPDATE SET keys = excluded.keys',
          )
          .run(storyId, packIds([...keys].sort((a, b) => a - b)));
      }
    },
    removeStory(storyId) {
      const entries = database.statement('SELECT id FROM dedup_entries WHERE story_id = ?').all(storyId) as {
        id: number;
      }[];
      if (entries.length === 0) return;
      const ids = new Set(entries.map((e) => e.id));
      const keys = postedKeys(storyId, Number.MAX_SAFE_INTEGER) ?? new Set<number>();
      const list = database.statement('SELECT entries FROM dedup_lists WHERE shingle = ?');
      for (const key of keys) {
        const row = list.get(key) as { entries: Uint8Array } | undefined;
        if (row === undefined || row.entries.byteLength >= FULL_BYTES) continue;
        const kept = unpackIds(row.entries).filter((id) => !ids.has(id));
        if (kept.length === 0) database.statement('DELETE FROM dedup_lists WHERE shingle = ?').run(key);
        else
          database.statement('UPDATE dedup_lists SET entries = ? WHERE shingle = ?').run(packIds(kept), key);
      }
      database.statement('DELETE FROM dedup_story_keys WHERE story_id = ?').run(storyId);
    },
    clear() {
      db.exec('DELETE FROM dedup_lists; DELETE FROM dedup_story_keys');
    },
  };
}

/**
 * A file written before the lists (one dedup_postings row per story per key) is converted on
 * first open, in one transaction: each key's postings, oldest entry first, become its list,
 * cut at the cap as the lists are. A crash part-way leaves the old table to convert again.
 */
function migrateFromPostingRows(database: SqliteDatabase): void {
  const { db } = database;
  const hasOld = () =>
    db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'dedup_postings'").get() !==
    undefined;
  if (!hasOld()) return;
  inTransaction(db, () => {
    // Another process may have converted it while this one waited for the lock.
    if (hasOld()) {
      const insert = db.prepare('INSERT INTO dedup_lists (shingle, entries) VALUES (?, ?)');
      let key: number | undefined;
      let ids: number[] = [];
      const flush = () => {
        if (key !== undefined) insert.run(key, packIds(ids.sort((a, b) => a - b).slice(0, MAX_POSTINGS)));
      };
      // In the primary key's order (no sort of the whole table); each key's entries are put
      // oldest first here.
      for (const row of db
        .prepare('SELECT shingle, entry FROM dedup_postings ORDER BY shingle')
        .iterate() as Iterable<{ shingle: number; entry: number }>) {
        if (row.shingle !== key) {
          flush();
          key = row.shingle;
          ids = [];
        }
        ids.push(row.entry);
      }
      flush();
      db.exec('DROP TABLE dedup_postings');
    }
  });
}
