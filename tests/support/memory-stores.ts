/**
 * Tiny in-memory RecordStore and ClaimStore for unit tests. Expiry follows an injected clock,
 * and values are deep-copied in and out so a test cannot mutate what is "stored" by accident.
 * Several services (several "instances") may share one of these, like processes sharing Redis.
 */
import type { ClaimStore, RecordStore } from '../../src/store/types.ts';

interface Entry<T> {
  value: T;
  expiresAt: number;
}

export interface MemoryRecordStore<T> extends RecordStore<T> {
  /** Live records as a plain object, for assertions. */
  snapshot(): Record<string, T>;
}

export function createMemoryRecordStore<T>(now: () => number = Date.now): MemoryRecordStore<T> {
  const entries = new Map<string, Entry<T>>();
  const live = (key: string): Entry<T> | undefined => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= now()) entries.delete(key);
    return entries.get(key);
  };
  return {
    async get(key) {
      const entry = live(key);
      return entry ? structuredClone(entry.value) : undefined;
    },
    async set(key, value, ttlMs) {
      entries.set(key, { value: structuredClone(value), expiresAt: ttlMs === undefined ? Infinity : now() + ttlMs });
    },
    async delete(key) {
      return live(key) !== undefined && entries.delete(key);
    },
    async *entries() {
      for (const key of [...entries.keys()]) {
        const entry = live(key);
        if (entry) yield [key, structuredClone(entry.value)] as [string, T];
      }
    },
    snapshot() {
      const out: Record<string, T> = {};
      for (const key of [...entries.keys()]) {
        const entry = live(key);
        if (entry) out[key] = structuredClone(entry.value);
      }
      return out;
    },
  };
}

export function createMemoryClaimStore(now: () => number = Date.now): ClaimStore {
  const held = new Map<string, { token: string; expiresAt: number }>();
  let counter = 0;
  return {
    async claim(key, ttlMs) {
      const current = held.get(key);
      if (current && current.expiresAt > now()) return undefined;
      counter += 1;
      const token = `token-${counter}`;
      held.set(key, { token, expiresAt: now() + ttlMs });
      return token;
    },
    async release(key, token) {
      const current = held.get(key);
      if (!current || current.token !== token) return false;
      held.delete(key);
      return true;
    },
  };
}
