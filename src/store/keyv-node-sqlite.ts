import { EventEmitter } from 'node:events';
import type { KeyvStoreAdapter, StoredData } from 'keyv';
import type { SqliteDatabase } from './sqlite-database.ts';

export interface KeyvNodeSqliteOptions {
  /**
   * Table name. "keyv", as @keyv/sqlite names it, so a file written by Herald before the move
   * to node:sqlite is read as it is.
   */
  table?: string;
  /** Rows fetched per page while iterating. */
  iterationLimit?: number;
}

type Row = { key: string; value: string };

/**
 * A keyv storage adapter on `node:sqlite`. The table layout is @keyv/sqlite's
 * (`key VARCHAR(255) PRIMARY KEY, value TEXT`, keys `namespace:key`), so either reads the
 * other's file. Writes made inside `SqliteDatabase.batch` are held back and committed in one
 * transaction; reads inside the batch see them.
 */
export class KeyvNodeSqlite extends EventEmitter implements KeyvStoreAdapter {
  // keyv enables its iterator only for adapters whose dialect it knows to iterate.
  readonly opts: { dialect: 'sqlite'; url: string; table: string; iterationLimit: number };
  namespace?: string | undefined;
  readonly #database: SqliteDatabase;
  readonly #table: string;

  constructor(database: SqliteDatabase, options: KeyvNodeSqliteOptions = {}) {
    super();
    const table = options.table ?? 'keyv';
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(table)) throw new Error(`invalid table name "${table}"`);
    this.#database = database;
    this.#table = table;
    this.opts = {
      dialect: 'sqlite',
      url: `sqlite://${database.file}`,
      table,
      iterationLimit: options.iterationLimit ?? 1000,
    };
    database.db.exec(`CREATE TABLE IF NOT EXISTS ${table}(key VARCHAR(255) PRIMARY KEY, value TEXT )`);
  }

  #pending(key: string): { found: boolean; value: string | undefined } {
    const write = this.#database.pendingBatch()?.writes.get(`${this.#table}\u0000${key}`);
    return write === undefined ? { found: false, value: undefined } : { found: true, value: write.value };
  }

  #read(key: string): string | undefined {
    const pending = this.#pending(key);
    if (pending.found) return pending.value;
    const row = this.#database.statement(`SELECT value FROM ${this.#table} WHERE key = ?`).get(key) as
      { value: string } | undefined;
    return row?.value;
  }

  #write(key: string, value: string | undefined): void {
    const batch = this.#database.pendingBatch();
    if (batch !== undefined) {
      batch.writes.set(`${this.#table}\u0000${key}`, { table: this.#table, key, value });
      return;
    }
    if (value === undefined) this.#database.statement(`DELETE FROM ${this.#table} WHERE key = ?`).run(key);
    else
      this.#database
        .statement(
          `INSERT INTO ${this.#table} (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
        )
        .run(key, value);
  }

  async get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    return this.#read(key) as StoredData<Value> | undefined;
  }

  async getMany<Value>(keys: string[]): Promise<Array<StoredData<Value | undefined>>> {
    return keys.map((key) => this.#read(key) as StoredData<Value | undefined>);
  }

  async set(key: string, value: string): Promise<boolean> {
    this.#write(key, value);
    return true;
  }

  async setMany(entries: Array<{ key: string; value: string }>): Promise<void> {
    // One transaction for the lot, or the caller's batch when there is one.
    await this.#database.batch(async () => {
      for (const { key, value } of entries) this.#write(key, value);
    });
  }

  async has(key: string): Promise<boolean> {
    return this.#read(key) !== undefined;
  }

  async delete(key: string): Promise<boolean> {
    const existed = this.#read(key) !== undefined;
    if (existed) this.#write(key, undefined);
    return existed;
  }

  async deleteMany(keys: string[]): Promise<boolean> {
    let any = false;
    await this.#database.batch(async () => {
      for (const key of keys) if (await this.delete(key)) any = true;
    });
    return any;
  }

  async clear(): Promise<void> {
    if (this.namespace === undefined) {
      this.#database.statement(`DELETE FROM ${this.#table}`).run();
      return;
    }
    const [from, to] = namespaceRange(this.namespace);
    this.#database.statement(`DELETE FROM ${this.#table} WHERE key >= ? AND key < ?`).run(from, to);
  }

  /**
   * Pages by key rather than by offset, so rows deleted during the walk (keyv drops expired
   * ones as it meets them) never make it skip others.
   */
  async *iterator<Value>(
    namespace?: string,
  ): AsyncGenerator<Array<string | Awaited<Value> | undefined>, void> {
    const [from, to] = namespace === undefined ? ['', '\u{10FFFF}'] : namespaceRange(namespace);
    const page = this.#database.statement(
      `SELECT key, value FROM ${this.#table} WHERE key > ? AND key < ? ORDER BY key LIMIT ?`,
    );
    const first = this.#database.statement(
      `SELECT key, value FROM ${this.#table} WHERE key >= ? AND key < ? ORDER BY key LIMIT ?`,
    );
    let rows = first.all(from, to, this.opts.iterationLimit) as Row[];
    while (rows.length > 0) {
      for (const row of rows) yield [row.key, row.value as Awaited<Value>];
      const last = rows[rows.length - 1] as Row;
      rows = page.all(last.key, to, this.opts.iterationLimit) as Row[];
    }
  }

  async disconnect(): Promise<void> {
    // The database is shared by every namespace; its owner closes it.
  }
}

/** Keys of one namespace lie in [`ns:`, `ns;`): ';' is the character after ':'. */
function namespaceRange(namespace: string): [string, string] {
  return [`${namespace}:`, `${namespace};`];
}
