// A layer over a real StoreBackend that injects the faults of issue 17: a disk that is full or
// a store that is read-only (writes throw SQLITE_FULL / SQLITE_READONLY, reads work), and a
// store that stops answering (every call waits until resumed, as under CLIENT PAUSE).
import type { StoreBackend } from '../../src/store/backend.ts';
import type { ClaimStore, RecordStore } from '../../src/store/types.ts';

export interface FaultyStore {
  wrap(backend: StoreBackend): StoreBackend;
  /** From now on every write fails with this SQLite code; undefined lets writes through again. */
  refuseWrites(code: 'SQLITE_FULL' | 'SQLITE_READONLY' | undefined): void;
  /** Calls wait until resume(), then run. */
  pause(): void;
  resume(): void;
  /** Writes refused so far. */
  readonly refused: number;
}

function sqliteError(code: string): Error {
  const message =
    code === 'SQLITE_FULL'
      ? 'SQLITE_FULL: database or disk is full'
      : 'SQLITE_READONLY: attempt to write a readonly database';
  return Object.assign(new Error(message), { code, errno: code === 'SQLITE_FULL' ? 13 : 8 });
}

export function createFaultyStore(): FaultyStore {
  let writeError: string | undefined;
  let paused: { promise: Promise<void>; release: () => void } | undefined;
  let refused = 0;

  async function gate(): Promise<void> {
    if (paused) await paused.promise;
  }
  async function write<T>(call: () => Promise<T>): Promise<T> {
    await gate();
    if (writeError !== undefined) {
      refused++;
      throw sqliteError(writeError);
    }
    return call();
  }
  async function read<T>(call: () => Promise<T>): Promise<T> {
    await gate();
    return call();
  }

  return {
    get refused() {
      return refused;
    },
    refuseWrites(code) {
      writeError = code;
    },
    pause() {
      let release = () => {};
      const promise = new Promise<void>((resolve) => (release = resolve));
      paused = { promise, release };
    },
    resume() {
      paused?.release();
      paused = undefined;
    },
    wrap(backend) {
      const claims: ClaimStore = {
        claim: (key, ttl) => write(() => backend.claims.claim(key, ttl)),
        release: (key, token) => write(() => backend.claims.release(key, token)),
      };
      return {
        kind: backend.kind,
        location: backend.location,
        claims,
        sweepExpired: () => write(() => backend.sweepExpired()),
        batch: (work) => backend.batch(work),
        atomicBatches: backend.atomicBatches,
        storyChanges: {
          append: (storyIds) => write(() => backend.storyChanges.append(storyIds)),
          readSince: (cursor, limit) => read(() => backend.storyChanges.readSince(cursor, limit)),
          prune: (cursor) => write(() => backend.storyChanges.prune(cursor)),
          head: () => read(() => backend.storyChanges.head()),
        },
        close: () => backend.close(),
        records(namespace, codec) {
          const store = backend.records(namespace, codec);
          const wrapped: RecordStore<never> = {
            get: (key) => read(() => store.get(key)) as Promise<never>,
            set: (key, value, ttl) => write(() => store.set(key, value, ttl)),
            delete: (key) => write(() => store.delete(key)),
            entries: () => ({
              async *[Symbol.asyncIterator]() {
                await gate();
                yield* store.entries() as AsyncIterable<[string, never]>;
              },
            }),
          };
          return wrapped;
        },
      };
    },
  };
}
