import type Keyv from 'keyv';
import type { z } from 'zod';
import type { RecordStore } from './types.ts';

/**
 * How one kind of record is stored: its current schema version, the zod schema of that
 * version, and how to bring an older stored value up to date. Values are migrated on read,
 * so a store written by an older Herald keeps working without a batch migration.
 */
export interface RecordCodec<T> {
  version: number;
  schema: z.ZodType<T>;
  /** Turns the data of an older version into the current shape; absent when v1 is current. */
  migrate?: (data: unknown, fromVersion: number) => unknown;
}

/** A stored value is wrapped with its schema version and its own expiry time. */
interface Envelope {
  v: number;
  data: unknown;
  /** Epoch ms; the record layer checks it against the injected clock. */
  exp?: number;
}

/** Raised when a stored value cannot be read back: callers must not treat it as absent. */
export class StoreReadError extends Error {
  override readonly name = 'StoreReadError';
}

/**
 * A RecordStore over one keyv namespace. Expiry is checked against the injected clock (so
 * tests control time) and also handed to keyv so the backend drops stale rows on its own.
 */
export interface KeyvRecordStore<T> extends RecordStore<T> {
  /**
   * Deletes every expired record. keyv drops an expired row only when it is read again, and
   * most expiring records (a sent-ledger entry, a finished digest slot) never are.
   */
  sweepExpired(): Promise<number>;
}

export function createKeyvRecordStore<T>(options: {
  keyv: Keyv;
  namespace: string;
  codec: RecordCodec<T>;
  now: () => number;
}): KeyvRecordStore<T> {
  const { keyv, namespace, codec, now } = options;

  function decode(key: string, raw: unknown): T | undefined {
    if (raw === undefined || raw === null) return undefined;
    if (typeof raw !== 'object' || !('v' in raw) || !('data' in raw)) {
      throw new StoreReadError(`${namespace}/${key}: stored value has no version envelope`);
    }
    const envelope = raw as Envelope;
    if (envelope.exp !== undefined && envelope.exp <= now()) return undefined;
    let data = envelope.data;
    if (envelope.v > codec.version) {
      throw new StoreReadError(`${namespace}/${key}: written by a newer Herald (v${envelope.v})`);
    }
    if (envelope.v < codec.version) {
      if (!codec.migrate) throw new StoreReadError(`${namespace}/${key}: no migration from v${envelope.v}`);
      data = codec.migrate(data, envelope.v);
    }
    const parsed = codec.schema.safeParse(data);
    if (!parsed.success) {
      throw new StoreReadError(`${namespace}/${key}: stored value does not match its schema`);
    }
    return parsed.data;
  }

  return {
    async get(key) {
      return decode(key, await keyv.get(key));
    },
    async set(key, value, ttlMs) {
      const envelope: Envelope = { v: codec.version, data: value };
      if (ttlMs !== undefined) envelope.exp = now() + ttlMs;
      await keyv.set(key, envelope, ttlMs);
    },
    async delete(key) {
      return keyv.delete(key);
    },
    async sweepExpired() {
      if (!keyv.iterator) return 0;
      // Collected first: the SQLite adapter pages with OFFSET, so deleting mid-walk would skip rows.
      const expired: string[] = [];
      for await (const [key, raw] of keyv.iterator(undefined) as AsyncGenerator<[string, unknown]>) {
        const exp =
          typeof raw === 'object' && raw !== null && 'exp' in raw ? (raw as Envelope).exp : undefined;
        if (exp !== undefined && exp <= now()) expired.push(key);
      }
      for (const key of expired) await keyv.delete(key);
      return expired.length;
    },
    async *entries() {
      if (!keyv.iterator) throw new StoreReadError(`${namespace}: backend cannot iterate`);
      for await (const [key, raw] of keyv.iterator(undefined) as AsyncGenerator<[string, unknown]>) {
        const value = decode(key, raw);
        if (value !== undefined) yield [key, value] as [string, T];
      }
    },
  };
}
