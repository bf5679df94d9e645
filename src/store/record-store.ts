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

/**
 * Raised when a stored value cannot be read back (store damage, named by its key): callers
 * must not treat it as absent.
 */
export class StoreReadError extends Error {
  override readonly name = 'StoreReadError';
}

/** Raised instead of writing a value that does not match its schema: it could never be read back. */
export class StoreWriteError extends Error {
  override readonly name = 'StoreWriteError';
}

export function isStoreReadError(error: unknown): error is StoreReadError {
  return error instanceof Error && error.name === 'StoreReadError';
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
  /**
   * Told once per key about a damaged record that a walk over every record left out, so one
   * bad record never stops a scan (a digest run, a count) and still gets reported.
   */
  onDamaged?: (error: StoreReadError) => void;
}): KeyvRecordStore<T> {
  const { keyv, namespace, codec, now } = options;
  const reported = new Set<string>();

  function reportDamaged(key: string, error: StoreReadError): void {
    if (reported.has(key)) return;
    reported.add(key);
    options.onDamaged?.(error);
  }

  /** keyv parses the stored text itself: text that is not JSON is damage, named by its key. */
  async function readRaw(key: string): Promise<unknown> {
    try {
      return await keyv.get(key);
    } catch (error) {
      if (error instanceof SyntaxError)
        throw new StoreReadError(`${namespace}/${key}: stored value is not JSON`, { cause: error });
      throw error;
    }
  }

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

  // keyv's iterator parses each row as it goes: a row that is not JSON ends the walk, and
  // which row it was is no longer known, so the namespace is named.
  function notJson(error: unknown): unknown {
    return error instanceof SyntaxError
      ? new StoreReadError(`${namespace}: a stored value is not JSON (npm start -- store doctor finds it)`, {
          cause: error,
        })
      : error;
  }

  return {
    async get(key) {
      return decode(key, await readRaw(key));
    },
    async set(key, value, ttlMs) {
      const checked = codec.schema.safeParse(value);
      if (!checked.success)
        throw new StoreWriteError(
          `${namespace}/${key}: refused to store a value that does not match its schema (${checked.error.issues
            .map((issue) => `${issue.path.join('.') || 'value'}: ${issue.message}`)
            .slice(0, 3)
            .join('; ')})`,
        );
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
      let iterator: AsyncGenerator<[string, unknown]>;
      try {
        iterator = keyv.iterator(undefined) as AsyncGenerator<[string, unknown]>;
      } catch (error) {
        throw notJson(error);
      }
      while (true) {
        let step: IteratorResult<[string, unknown]>;
        try {
          step = await iterator.next();
        } catch (error) {
          throw notJson(error);
        }
        if (step.done) return;
        const [key, raw] = step.value;
        let value: T | undefined;
        try {
          value = decode(key, raw);
        } catch (error) {
          if (!isStoreReadError(error)) throw error;
          reportDamaged(key, error);
          continue;
        }
        if (value !== undefined) yield [key, value] as [string, T];
      }
    },
  };
}
