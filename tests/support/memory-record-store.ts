// A tiny in-memory RecordStore for unit tests; counts reads and writes so tests can pin caching.
import type { RecordStore } from '../../src/store/types.ts';

export interface MemoryRecordStore<T> extends RecordStore<T> {
  readonly gets: number;
  readonly sets: number;
  /** The ttlMs of each set, by key (undefined when none was given). */
  readonly ttls: Map<string, number | undefined>;
}

export function createMemoryRecordStore<T>(): MemoryRecordStore<T> {
  const data = new Map<string, T>();
  let gets = 0;
  let sets = 0;
  const ttls = new Map<string, number | undefined>();
  return {
    ttls,
    get gets() {
      return gets;
    },
    get sets() {
      return sets;
    },
    get(key) {
      gets++;
      return Promise.resolve(data.get(key));
    },
    set(key, value, ttlMs) {
      sets++;
      ttls.set(key, ttlMs);
      data.set(key, structuredClone(value));
      return Promise.resolve();
    },
    delete(key) {
      return Promise.resolve(data.delete(key));
    },
    async *entries() {
      for (const entry of data) yield await Promise.resolve(entry);
    },
  };
}
