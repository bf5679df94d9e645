import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Keyv from 'keyv';
import type { RedisClientType } from '@keyv/redis';
import { createRedisTimeFieldIndex, createSqliteFieldIndex, type FieldIndex } from './field-index.ts';
import {
  createKeyvRecordStore,
  type KeyvRecordStore,
  type RecordCodec,
  type StoreReadError,
} from './record-store.ts';
import { KeyvNodeSqlite } from './keyv-node-sqlite.ts';
import { openSqliteDatabase, type SqliteDatabase } from './sqlite-database.ts';
import {
  createMemoryChangeLog,
  createRedisChangeLog,
  createSqliteChangeLog,
  type StoryChangeLog,
} from './change-log.ts';
import { createMemoryClaimStore, createRedisClaimStore, createSqliteClaimStore } from './claims.ts';
import { settleWithin } from './settle-within.ts';
import type { ClaimStore, RecordStore, StoreKind } from './types.ts';

const CONNECT_TIMEOUT_MS = 4_000;

/**
 * One storage backend (memory, a SQLite file, or Redis) handing out record namespaces and the
 * claim store. Every namespace gets its own keyv adapter: keyv's iterator only walks the
 * adapter's own namespace, so sharing one adapter across namespaces would mix records.
 */
export interface StoreBackend {
  readonly kind: StoreKind;
  /** Where the data lives, for /status (the SQLite path or the Redis host, never a password). */
  readonly location: string;
  records<T>(namespace: string, codec: RecordCodec<T>): RecordStore<T>;
  /**
   * A namespace's keys ordered by one text field of its records, where the backend can keep
   * such an index (SQLite); callers without one walk the records.
   */
  fieldIndex?(namespace: string, field: string): FieldIndex;
  readonly claims: ClaimStore;
  /** Deletes expired records in every namespace handed out; Redis expires them on its own. */
  sweepExpired(): Promise<number>;
  /**
   * Runs `work` with its writes made as one unit where the backend can: one transaction on
   * SQLite (all or nothing, one commit). Memory and Redis run it as it is; callers that need
   * all-or-nothing there keep a journal (see story-repository.ts).
   */
  batch<T>(work: () => Promise<T>): Promise<T>;
  /** True when batch() is all-or-nothing. */
  readonly atomicBatches: boolean;
  /** Which stories every write touched, for the answer index to catch up from. */
  readonly storyChanges: StoryChangeLog;
  /** The SQLite file, for the answer index that lives beside the records. */
  readonly sqlite?: SqliteDatabase;
  /** The Redis connection and key prefix, for the answer index's change log. */
  readonly redis?: { client: RedisClientType; prefix: string };
  /** Every namespace handed out so far, with its codec and the key prefix (for store doctor). */
  readonly namespaces?: { prefix: string; codecs: ReadonlyMap<string, RecordCodec<unknown>> };
  close(): Promise<void>;
}

export interface BackendOptions {
  /** memory://, sqlite://relative/path.sqlite, sqlite:///absolute/path.sqlite or redis://host:port */
  url: string;
  now?: () => number;
  /** Prefix for every key, so tests and several deployments can share one Redis. */
  keyPrefix?: string;
  /** Told once per key about a damaged record a walk over a namespace left out. */
  onDamagedRecord?: (error: StoreReadError) => void;
}

export function parseStoreUrl(url: string): { kind: StoreKind; target: string } {
  if (url === 'memory' || url.startsWith('memory:')) return { kind: 'memory', target: 'memory' };
  if (url.startsWith('sqlite://')) {
    const file = url.slice('sqlite://'.length);
    if (!file) throw new Error('STORE_URL: sqlite:// needs a file path, such as sqlite://data/herald.sqlite');
    return { kind: 'sqlite', target: file };
  }
  if (url.startsWith('redis://') || url.startsWith('rediss://')) return { kind: 'redis', target: url };
  throw new Error('STORE_URL: expected sqlite://<file>, redis://<host>:<port> or memory://');
}

/** The store URL as a log or error line may show it: a password in it never leaves the process. */
export function storeUrlForDisplay(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

export async function createStoreBackend(options: BackendOptions): Promise<StoreBackend> {
  const now = options.now ?? Date.now;
  const prefix = options.keyPrefix ?? 'herald';
  const { kind, target } = parseStoreUrl(options.url);
  const damaged = options.onDamagedRecord ? { onDamaged: options.onDamagedRecord } : {};
  if (kind === 'memory') return memoryBackend(now, prefix, damaged);
  if (kind === 'sqlite') return sqliteBackend(target, now, prefix, damaged);
  return redisBackend(target, now, prefix, damaged);
}

type DamageReport = { onDamaged?: (error: StoreReadError) => void };

/** Remembers each namespace's store so one sweep can visit them all. */
function sweepable(): { track<T>(store: KeyvRecordStore<T>): KeyvRecordStore<T>; sweep(): Promise<number> } {
  const stores: KeyvRecordStore<unknown>[] = [];
  return {
    track(store) {
      stores.push(store as KeyvRecordStore<unknown>);
      return store;
    },
    async sweep() {
      let removed = 0;
      for (const store of stores) removed += await store.sweepExpired();
      return removed;
    },
  };
}

function memoryBackend(now: () => number, prefix: string, damaged: DamageReport): StoreBackend {
  // Two handles on one namespace must see the same records, as they would in a database.
  const maps = new Map<string, Map<string, unknown>>();
  const stores = sweepable();
  return {
    kind: 'memory',
    location: 'memory',
    records(namespace, codec) {
      const map = maps.get(namespace) ?? new Map<string, unknown>();
      maps.set(namespace, map);
      const keyv = new Keyv({ store: map, namespace: `${prefix}-${namespace}`, throwOnErrors: true });
      return stores.track(createKeyvRecordStore({ keyv, namespace, codec, now, ...damaged }));
    },
    claims: createMemoryClaimStore(now),
    sweepExpired: () => stores.sweep(),
    batch: (work) => work(),
    atomicBatches: false,
    storyChanges: createMemoryChangeLog(),
    async close() {},
  };
}

async function sqliteBackend(
  file: string,
  now: () => number,
  prefix: string,
  damaged: DamageReport,
): Promise<StoreBackend> {
  const absolute = path.resolve(file);
  mkdirSync(path.dirname(absolute), { recursive: true });
  const database = openSqliteDatabase(absolute);
  const claims = createSqliteClaimStore(database, now);
  const stores = sweepable();
  const codecs = new Map<string, RecordCodec<unknown>>();
  return {
    kind: 'sqlite',
    location: absolute,
    namespaces: { prefix, codecs },
    records(namespace, codec) {
      codecs.set(namespace, codec as RecordCodec<unknown>);
      const keyv = new Keyv({
        store: new KeyvNodeSqlite(database),
        namespace: `${prefix}-${namespace}`,
        throwOnErrors: true,
      });
      return stores.track(createKeyvRecordStore({ keyv, namespace, codec, now, ...damaged }));
    },
    fieldIndex: (namespace, field) =>
      createSqliteFieldIndex(database, { namespaceKey: `${prefix}-${namespace}`, field }),
    claims,
    sweepExpired: () => stores.sweep(),
    batch: (work) => database.batch(work),
    atomicBatches: true,
    storyChanges: createSqliteChangeLog(database),
    sqlite: database,
    async close() {
      database.close();
    },
  };
}

async function redisBackend(
  url: string,
  now: () => number,
  prefix: string,
  damaged: DamageReport,
): Promise<StoreBackend> {
  // Loaded only for a Redis store: a SQLite or memory store never holds the client's modules.
  const { createClient, createKeyv: createRedisKeyv } = await import('@keyv/redis');
  // One connection shared by every namespace's adapter; each adapter still keeps its own
  // namespace, which is what keyv's iterator needs.
  const client = createClient({
    url,
    socket: { connectTimeout: 5_000, reconnectStrategy: (retries) => Math.min(retries * 200, 5_000) },
  });
  client.on('error', () => {
    // Connection errors surface on the next command; the listener keeps node-redis from
    // treating them as unhandled while it reconnects.
  });
  // Each namespace's keyv adapter adds its own error listener to the shared client: a dozen
  // namespaces is expected, not a leak, so Node's default warning at 10 would only mislead.
  client.setMaxListeners(50);
  // node-redis keeps retrying a refused connection for ever; a start that cannot reach Redis
  // must say so within seconds instead.
  await settleWithin(
    client.connect(),
    CONNECT_TIMEOUT_MS,
    `cannot reach Redis at ${new URL(url).host} (no answer within ${CONNECT_TIMEOUT_MS / 1000} s)`,
    () => client.destroy(),
  );
  const typed = client as unknown as RedisClientType;
  const host = new URL(url).host;
  return {
    kind: 'redis',
    location: host,
    records(namespace, codec) {
      const keyv = createRedisKeyv(typed, {
        namespace: `${prefix}-${namespace}`,
        throwOnErrors: true,
        throwOnConnectError: true,
      });
      return createKeyvRecordStore({ keyv, namespace, codec, now, ...damaged });
    },
    fieldIndex: (namespace, field) => createRedisTimeFieldIndex(typed, `${prefix}-${namespace}-by-${field}`),
    claims: createRedisClaimStore(typed, `${prefix}-claim:`),
    // Every record with a TTL was written with PX: Redis drops it when it expires.
    sweepExpired: () => Promise.resolve(0),
    batch: (work) => work(),
    atomicBatches: false,
    storyChanges: createRedisChangeLog(typed, `${prefix}-story-changes`),
    redis: { client: typed, prefix },
    async close() {
      // A paused or vanished Redis never answers QUIT, so the socket is dropped instead.
      // Nothing is lost: Herald awaits every write, and waits for in-flight work before closing.
      client.destroy();
    },
  };
}
