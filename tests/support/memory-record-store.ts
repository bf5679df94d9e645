// A tiny in-memory RecordStore for unit tests; counts reads and writes so tests can pin caching.
import type { RecordStore } from '../../src/store/types.ts';

export interface MemoryRecordStore<T> extends RecordStore<T> {
  readonly gets: number;
  readonly sets: number;
}

export function createMemoryRecordStore<T>(): MemoryRecordStore<T> {
  const data = new Map<string, T>();
  let gets = 0;
  let sets = 0;
  return {
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
    set(key, value) {
      sets++;
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
