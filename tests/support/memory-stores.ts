/**
 * The in-memory RecordStore and ClaimStore fakes for unit tests (the one of each; the store
 * contract suite runs them beside the real backends). Expiry follows an injected clock, values
 * are deep-copied in and out so a test cannot mutate what is "stored" by accident, and reads
 * and writes are counted so tests can pin caching.
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
  /** Reads and writes so far, so tests can pin caching. */
  readonly gets: number;
  readonly sets: number;
  /** The ttlMs of each set, by key (undefined when none was given). */
  readonly ttls: Map<string, number | undefined>;
}

export function createMemoryRecordStore<T>(now: () => number = Date.now): MemoryRecordStore<T> {
  const entries = new Map<string, Entry<T>>();
  const ttls = new Map<string, number | undefined>();
  let gets = 0;
  let sets = 0;
  const live = (key: string): Entry<T> | undefined => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= now()) entries.delete(key);
    return entries.get(key);
  };
  return {
    ttls,
    get gets() {
      return gets;
    },
    get sets() {
      return sets;
    },
    async get(key) {
      gets += 1;
      const entry = live(key);
      return entry ? structuredClone(entry.value) : undefined;
    },
    async set(key, value, ttlMs) {
      sets += 1;
      ttls.set(key, ttlMs);
      entries.set(key, {
        value: structuredClone(value),
        expiresAt: ttlMs === undefined ? Infinity : now() + ttlMs,
      });
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
